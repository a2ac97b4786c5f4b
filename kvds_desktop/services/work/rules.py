"""The hard matching rules for one candidate and one opportunity, each with its reason.

Every rule is a pure function of the facts it needs (loaded by
:mod:`kvds_desktop.services.work.match_facts`) and returns a
:class:`~kvds_desktop.services.work.pairs.RuleResult` with an English message id and
plain parameters: weekdays as ISO numbers, skills, levels, transport and status as
their stored codes, dates as dates. :func:`kvds_desktop.services.work.matching.render_reason`
translates those parameters and formats the reason ("free on Tue and Thu", "speaking
A1 < A2", "25 min by bike (at most 30)", "1 of 2 places left").

The rules take the opportunity's facts as separate values on purpose: many
opportunities share the same days, level requirements or place, so the matcher
evaluates a rule once per distinct value per candidate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from kvds_desktop.domain.enums import CandidateStatus, level_rank
from kvds_desktop.errors import N_
from kvds_desktop.services.work.pairs import (
    RULE_CERTIFICATES,
    RULE_DAYS,
    RULE_HOURS,
    RULE_LEVEL,
    RULE_LICENCE,
    RULE_PERIOD,
    RULE_PLACES,
    RULE_TRAVEL,
    RuleResult,
)

DEFAULT_MAX_TRAVEL_MINUTES = 45  # when the work profile sets no maximum
# Statuses whose candidates are matched by default: taking part now.
MATCHABLE_STATUSES = frozenset({CandidateStatus.ACTIEF.value, CandidateStatus.INTAKE.value})

# How a travel time reads, per transport code of the work profile.
TRANSPORT: dict[str, str] = {
    "fiets": N_("by bike"),
    "lopen": N_("on foot"),
    "auto": N_("by car"),
    "ov": N_("by public transport"),
    "scooter": N_("by moped"),
}

# Rule results that are the same for every pair: built once, shared by every pair.
NO_DAYS = RuleResult(RULE_DAYS, True, N_("no fixed days"))
NO_LEVEL = RuleResult(RULE_LEVEL, True, N_("no Dutch level required"))
NO_LICENCE = RuleResult(RULE_LICENCE, True, N_("no driving licence needed"))
HAS_LICENCE = RuleResult(RULE_LICENCE, True, N_("has a driving licence"))
LACKS_LICENCE = RuleResult(RULE_LICENCE, False, N_("driving licence needed"))
NO_CERTIFICATES = RuleResult(RULE_CERTIFICATES, True, N_("no certificates needed"))
HOURS_UNKNOWN = RuleResult(RULE_HOURS, True, N_("hours a week not set"))
NOT_ACTIVE = RuleResult(RULE_PERIOD, False, N_("opportunity not active"))


@dataclass(frozen=True)
class CandidateFacts:
    """What the rules and the score need of one candidate (plain values)."""

    id: int
    uid: str
    name: str
    status: str
    place: str  # home place (city, else municipality)
    transports: tuple[str, ...]  # codes of TRANSPORT; at least one
    max_minutes: int
    licence: bool
    certificates: tuple[frozenset[str], ...]  # the words of each certificate held
    hours: int | None
    available_from: date | None
    available_days: frozenset[int]  # stated in the work profile; empty: not stated
    lesson_days: frozenset[int]  # weekdays with lessons in the live timetable
    placements: tuple[tuple[int | None, frozenset[int]], ...]  # (opportunity id, days)
    levels: dict[str, str] = field(hash=False)  # skill -> latest level
    sector_wishes: frozenset[str] = frozenset()
    history: str = ""  # work history, folded
    work_years: int | None = None
    education_years: int | None = None
    registration_date: date | None = None

    @property
    def placement_opportunities(self) -> frozenset[int]:
        """Opportunities the candidate holds an active placement on."""
        return frozenset(o for o, _days in self.placements if o is not None)


@dataclass(frozen=True)
class OpportunityFacts:
    """What the rules and the score need of one opportunity (plain values)."""

    id: int
    uid: str
    title: str
    organisation: str
    sector: str  # folded
    place: str
    days: frozenset[int]
    hours: int | None
    requirements: tuple[tuple[str, str], ...]  # (skill, minimum level), skill order
    licence: bool
    certificates: tuple[tuple[str, frozenset[str]], ...]  # (as written, its words)
    active: bool
    start: date | None
    end: date | None
    places: int
    holders: frozenset[int]  # candidate ids with an active placement on it


def _days(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(values))


def check_days(c: CandidateFacts, days: frozenset[int], opportunity_id: int) -> RuleResult:
    """The opportunity's weekdays are free: no lessons, no other placement, available."""
    if not days:
        return NO_DAYS
    lessons = days & c.lesson_days
    if lessons:
        return RuleResult(RULE_DAYS, False, N_("lessons on {days}"), {"days": _days(lessons)})
    working: set[int] = set()
    for other, placement_days in c.placements:
        if other != opportunity_id:
            working |= placement_days
    if days & working:
        return RuleResult(
            RULE_DAYS, False, N_("already working on {days}"), {"days": _days(days & working)}
        )
    if c.available_days and not days <= c.available_days:
        return RuleResult(
            RULE_DAYS,
            False,
            N_("not available on {days}"),
            {"days": _days(days - c.available_days)},
        )
    return RuleResult(RULE_DAYS, True, N_("free on {days}"), {"days": _days(days)})


def check_level(c: CandidateFacts, requirements: tuple[tuple[str, str], ...]) -> RuleResult:
    """The latest level of every required skill is at least its minimum.

    A failure names the skill that falls furthest short (an unassessed skill first);
    a pass names the skill with the least room to spare; between equals, the one with
    the highest minimum.
    """
    if not requirements:
        return NO_LEVEL
    margins: list[tuple[int, int, int, str, str, str | None]] = []
    for index, (skill, required) in enumerate(requirements):
        have = c.levels.get(skill)
        margin = -99 if have is None else level_rank(have) - level_rank(required)
        margins.append((margin, -level_rank(required), index, skill, required, have))
    margin, _strict, _index, skill, required, have = min(margins)
    if have is None:
        return RuleResult(
            RULE_LEVEL,
            False,
            N_("{skill} not assessed, {required} needed"),
            {"skill": skill, "required": required},
        )
    params = {"skill": skill, "level": have, "required": required}
    if margin < 0:
        return RuleResult(RULE_LEVEL, False, N_("{skill} {level} < {required}"), params)
    return RuleResult(RULE_LEVEL, True, N_("{skill} {level} >= {required}"), params)


def check_licence(c: CandidateFacts, required: bool) -> RuleResult:
    """A driving licence when the opportunity asks for one."""
    if not required:
        return NO_LICENCE
    return HAS_LICENCE if c.licence else LACKS_LICENCE


def check_certificates(
    c: CandidateFacts, required: tuple[tuple[str, frozenset[str]], ...]
) -> RuleResult:
    """Every certificate asked for is held: all its words are in one certificate held.

    Words are compared without regard to case or accents, so "VCA" is met by
    "VCA basis", while "VCA VOL" is not.
    """
    if not required:
        return NO_CERTIFICATES
    missing = [
        label for label, words in required if not any(words <= held for held in c.certificates)
    ]
    if missing:
        return RuleResult(
            RULE_CERTIFICATES, False, N_("missing {certificates}"),
            {"certificates": ", ".join(missing)},
        )  # fmt: skip
    return RuleResult(
        RULE_CERTIFICATES, True, N_("has {certificates}"),
        {"certificates": ", ".join(label for label, _words in required)},
    )  # fmt: skip


def check_travel(c: CandidateFacts, trip: tuple[int, str] | None, unknown: str) -> RuleResult:
    """The trip (minutes, transport) takes at most the candidate's maximum.

    ``trip`` is None when a place is unknown; ``unknown`` then names it ("" when the
    candidate or the opportunity has no place at all).
    """
    if trip is None:
        if unknown:
            return RuleResult(
                RULE_TRAVEL, False, N_("travel time unknown: {place} is not a known place"),
                {"place": unknown},
            )  # fmt: skip
        return RuleResult(RULE_TRAVEL, False, N_("travel time unknown: no place given"))
    minutes, transport = trip
    params = {"minutes": minutes, "transport": transport, "max": c.max_minutes}
    if minutes <= c.max_minutes:
        message, passed = N_("{minutes} min {transport} (at most {max})"), True
    else:
        message, passed = N_("{minutes} min {transport} (more than {max})"), False
    return RuleResult(RULE_TRAVEL, passed, message, params)


def check_hours(c: CandidateFacts, hours: int | None) -> RuleResult:
    """The candidate's hours a week cover the opportunity's (when both are known)."""
    if hours is None or c.hours is None:
        return HOURS_UNKNOWN
    params = {"needed": hours, "available": c.hours}
    if c.hours >= hours:
        return RuleResult(
            RULE_HOURS, True, N_("{needed} hours a week, {available} available"), params
        )
    return RuleResult(
        RULE_HOURS, False, N_("{needed} hours a week, only {available} available"), params
    )


def check_places(places: int, taken: int) -> RuleResult:
    """A place is left: the places minus the active placements of other candidates."""
    left = places - taken
    params = {"left": max(0, left), "places": places}
    if places == 1:
        if left > 0:
            return RuleResult(RULE_PLACES, True, N_("the only place is free"), params)
        return RuleResult(RULE_PLACES, False, N_("the only place is taken"), params)
    if left > 0:
        return RuleResult(RULE_PLACES, True, N_("{left} of {places} places left"), params)
    return RuleResult(RULE_PLACES, False, N_("all {places} places taken"), params)


def effective_start(start: date | None, today: date) -> date:
    """When an opportunity can be started: its start date, or today once it has begun."""
    return today if start is None or start < today else start


def check_period(
    c: CandidateFacts, active: bool, start: date | None, end: date | None, today: date
) -> RuleResult:
    """The opportunity runs (active, not ended), the candidate takes part now and is
    available from its start (or from today, once it has begun)."""
    if not active:
        return NOT_ACTIVE
    if end is not None and end < today:
        return RuleResult(RULE_PERIOD, False, N_("ended on {end}"), {"end": end})
    if c.status not in MATCHABLE_STATUSES:
        return RuleResult(RULE_PERIOD, False, N_("candidate is {status}"), {"status": c.status})
    begins = effective_start(start, today)
    if c.available_from is not None and c.available_from > begins:
        return RuleResult(
            RULE_PERIOD, False, N_("available only from {available}, starts {start}"),
            {"available": c.available_from, "start": begins},
        )  # fmt: skip
    if begins > today:
        return RuleResult(
            RULE_PERIOD, True, N_("starts {start}, available by then"), {"start": begins}
        )
    return RuleResult(RULE_PERIOD, True, N_("runs now, available"))
