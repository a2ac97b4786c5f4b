"""Closed vocabularies of the domain, stored as their string values.

Labels for people are in :mod:`kvds_desktop.domain.labels`; the values here are
the stable codes that go into the database and into exchange files.
"""

from __future__ import annotations

from enum import StrEnum


class Law(StrEnum):
    """Which integration law applies to a candidate."""

    WI2013 = "wi2013"
    WI2021 = "wi2021"
    NONE = "geen"  # other target groups (participation only)


class Route(StrEnum):
    """Learning route (leerroute) under Wi2021, or the Wi2013 trajectory."""

    B1 = "b1"
    ONDERWIJS = "onderwijs"
    Z = "z"
    WI2013 = "wi2013"
    PARTICIPATIE = "participatie"


class CandidateStatus(StrEnum):
    """Lifecycle of a candidacy."""

    AANGEMELD = "aangemeld"
    INTAKE = "intake"
    ACTIEF = "actief"
    GEPAUZEERD = "gepauzeerd"
    UITGESTROOMD = "uitgestroomd"
    VERHUISD = "verhuisd"
    ONTHEVEN = "ontheven"
    GESTOPT = "gestopt"


ENDED_STATUSES = frozenset(
    {
        CandidateStatus.UITGESTROOMD,
        CandidateStatus.VERHUISD,
        CandidateStatus.ONTHEVEN,
        CandidateStatus.GESTOPT,
    }
)


class Doelgroep(StrEnum):
    """Target group a candidate belongs to."""

    STATUSHOUDER = "statushouder"
    GEZINSMIGRANT = "gezinsmigrant"
    PARTICIPATIE = "participatie"  # people with a distance to the labour market


class ActivityCategory(StrEnum):
    """What an hour of activity counts towards (contracts and Z-route counters)."""

    LANGUAGE = "taal"
    KNM = "knm"
    ONA_MAP = "ona_map"
    PVT = "pvt"
    ALFA = "alfa"
    TRAINING = "training"
    PARTICIPATION = "participatie"


class Skill(StrEnum):
    """Language skills measured per candidate."""

    LEZEN = "lezen"
    LUISTEREN = "luisteren"
    SPREKEN = "spreken"
    SCHRIJVEN = "schrijven"
    GESPREKKEN = "gesprekken"


class Level(StrEnum):
    """Language levels in ascending order (Alfa levels are literacy levels below A1)."""

    ALFA_A = "alfa_a"
    ALFA_B = "alfa_b"
    ALFA_C = "alfa_c"
    A1 = "a1"
    A2 = "a2"
    B1 = "b1"
    B2 = "b2"
    C1 = "c1"


LEVEL_ORDER: tuple[Level, ...] = tuple(Level)
_RANKS: dict[str, int] = {level.value: rank for rank, level in enumerate(LEVEL_ORDER)}


def level_rank(level: Level | str) -> int:
    """Return the position of a level on the ladder (Alfa A is 0).

    Raises:
        ValueError: ``level`` is not a level.
    """
    rank = _RANKS.get(level)
    return rank if rank is not None else LEVEL_ORDER.index(Level(level))


class ExamPartKind(StrEnum):
    """Exam parts and modules under both laws."""

    LEZEN = "lezen"
    LUISTEREN = "luisteren"
    SPREKEN = "spreken"
    SCHRIJVEN = "schrijven"
    KNM = "knm"
    ONA = "ona"
    MAP = "map"
    PVT = "pvt"


class Exemption(StrEnum):
    """Whether an exam part is exempted."""

    NONE = "geen"
    VRIJSTELLING = "vrijstelling"  # diplomas already held
    ONTHEFFING = "ontheffing"  # cannot (e.g. medical)


class ExamResult(StrEnum):
    """Outcome of one exam attempt."""

    PENDING = "open"
    PASSED = "geslaagd"
    FAILED = "gezakt"


class AssessmentMethod(StrEnum):
    """How a level was measured."""

    OBSERVATION = "observatie"
    PLACEMENT_TEST = "plaatsingstoets"
    PROGRESS_TEST = "voortgangstoets"
    EXAM = "examen"


class ModuleKind(StrEnum):
    """Labour-market and participation modules tracked item by item."""

    ONA = "ona"
    MAP = "map"
    PVT = "pvt"


MAP_THEMES: tuple[str, ...] = (
    "beroepsorientatie",
    "werknemerscompetenties",
    "realistisch_beroepsbeeld",
    "beroepskansen",
    "beroepscompetenties_verwerven",
    "netwerk_opbouwen",
    "werk_vinden",
    "werkcultuur",
)


class PlacementKind(StrEnum):
    """Kinds of work placement and opportunity."""

    VRIJWILLIGERSWERK = "vrijwilligerswerk"
    STAGE = "stage"
    WERKERVARINGSPLAATS = "werkervaringsplaats"
    PROEFPLAATSING = "proefplaatsing"
    BETAALD_WERK = "betaald_werk"
    OPLEIDING = "opleiding"


class OutflowKind(StrEnum):
    """Why and where a candidate left the programme."""

    BETAALD_WERK = "betaald_werk"
    BETAALD_WERK_ONDERSTEUNING = "betaald_werk_ondersteuning"
    BBL = "bbl"
    OPLEIDING_STUDIEFINANCIERING = "opleiding_studiefinanciering"
    VRIJWILLIGERSWERK = "vrijwilligerswerk"
    WERKERVARINGSPLAATS = "werkervaringsplaats"
    VERHUISD = "verhuisd"
    ONTHEFFING = "ontheffing"
    GESTOPT = "gestopt"
    OVERIG = "overig"


class BenefitAfterOutflow(StrEnum):
    """Benefit still received after outflow."""

    NONE = "geen"
    PARTIAL = "gedeeltelijk"
    FULL = "volledig"


class ClosureKind(StrEnum):
    """Why a location has no lessons on a day."""

    PUBLIC_HOLIDAY = "feestdag"
    SCHOOL_HOLIDAY = "schoolvakantie"
    OWN = "eigen"


class ProviderKind(StrEnum):
    """What a provider delivers."""

    LANGUAGE = "taal"
    TRAINING = "training"
    EMPLOYER_SERVICES = "werkgeversdienstverlening"


class AbsenceReason(StrEnum):
    """Reasons recorded with an absence."""

    ZIEK = "ziek"
    AFSPRAAK_INSTANTIE = "afspraak_instantie"
    WERK = "werk"
    ZORGTAKEN = "zorgtaken"
    OVERIG = "overig"


class Gender(StrEnum):
    """Gender as registered by the municipality."""

    MAN = "m"
    VROUW = "v"
    ONBEKEND = "o"
