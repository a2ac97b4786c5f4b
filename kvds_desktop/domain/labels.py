"""Names for people of the stored codes, as English message ids translated at display time."""

from __future__ import annotations

from kvds_desktop.domain.deadlines import KIND_LABELS
from kvds_desktop.domain.enums import CandidateStatus, Doelgroep, Gender, Law, Level, Route
from kvds_desktop.errors import N_

STATUS: dict[str, str] = {
    CandidateStatus.AANGEMELD: N_("registered"),
    CandidateStatus.INTAKE: N_("intake"),
    CandidateStatus.ACTIEF: N_("active"),
    CandidateStatus.GEPAUZEERD: N_("paused"),
    CandidateStatus.UITGESTROOMD: N_("flowed out"),
    CandidateStatus.VERHUISD: N_("moved away"),
    CandidateStatus.ONTHEVEN: N_("exempted"),
    CandidateStatus.GESTOPT: N_("stopped"),
}
LAW: dict[str, str] = {
    Law.WI2013: N_("Wi2013"),
    Law.WI2021: N_("Wi2021"),
    Law.NONE: N_("no integration duty"),
}
ROUTE: dict[str, str] = {
    Route.B1: N_("B1 route"),
    Route.ONDERWIJS: N_("education route"),
    Route.Z: N_("Z route"),
    Route.WI2013: N_("Wi2013 trajectory"),
    Route.PARTICIPATIE: N_("participation"),
}
LEVEL: dict[str, str] = {
    Level.ALFA_A: N_("Alfa A"),
    Level.ALFA_B: N_("Alfa B"),
    Level.ALFA_C: N_("Alfa C"),
    Level.A1: "A1",
    Level.A2: "A2",
    Level.B1: "B1",
    Level.B2: "B2",
    Level.C1: "C1",
}
GENDER: dict[str, str] = {
    Gender.MAN: N_("man"),
    Gender.VROUW: N_("woman"),
    Gender.ONBEKEND: N_("unknown"),
}
DOELGROEP: dict[str, str] = {
    Doelgroep.STATUSHOUDER: N_("status holder"),
    Doelgroep.GEZINSMIGRANT: N_("family migrant"),
    Doelgroep.PARTICIPATIE: N_("participation (other target group)"),
}
DEADLINE = KIND_LABELS
WEEKDAYS_SHORT: dict[int, str] = {
    1: N_("Mon"),
    2: N_("Tue"),
    3: N_("Wed"),
    4: N_("Thu"),
    5: N_("Fri"),
    6: N_("Sat"),
    7: N_("Sun"),
}

WEEKDAYS_LONG: dict[int, str] = {
    1: N_("Monday"),
    2: N_("Tuesday"),
    3: N_("Wednesday"),
    4: N_("Thursday"),
    5: N_("Friday"),
    6: N_("Saturday"),
    7: N_("Sunday"),
}

SKILL: dict[str, str] = {
    "lezen": N_("reading"),
    "luisteren": N_("listening"),
    "spreken": N_("speaking"),
    "schrijven": N_("writing"),
    "gesprekken": N_("conversation"),
}
METHOD: dict[str, str] = {
    "observatie": N_("teacher observation"),
    "plaatsingstoets": N_("placement test"),
    "voortgangstoets": N_("progress test"),
    "examen": N_("exam"),
}
EXAM_PART: dict[str, str] = {
    "lezen": N_("reading"),
    "luisteren": N_("listening"),
    "spreken": N_("speaking"),
    "schrijven": N_("writing"),
    "knm": N_("KNM (knowledge of Dutch society)"),
    "ona": N_("ONA (labour-market orientation)"),
    "map": N_("MAP (labour market and participation)"),
    "pvt": N_("PVT (participation statement)"),
}
EXAM_RESULT: dict[str, str] = {
    "open": N_("no result yet"),
    "geslaagd": N_("passed"),
    "gezakt": N_("failed"),
}
EXEMPTION: dict[str, str] = {
    "geen": N_("none"),
    "vrijstelling": N_("vrijstelling (diploma held)"),
    "ontheffing": N_("ontheffing (cannot)"),
}
OUTFLOW_KIND: dict[str, str] = {
    "betaald_werk": N_("paid work"),
    "betaald_werk_ondersteuning": N_("paid work with support"),
    "bbl": N_("BBL (work and study)"),
    "opleiding_studiefinanciering": N_("education with student finance"),
    "vrijwilligerswerk": N_("volunteer work"),
    "werkervaringsplaats": N_("work-experience place or internship"),
    "verhuisd": N_("moved away"),
    "ontheffing": N_("exempted"),
    "gestopt": N_("stopped"),
    "overig": N_("other"),
}
BENEFIT: dict[str, str] = {
    "geen": N_("none"),
    "gedeeltelijk": N_("partial"),
    "volledig": N_("full"),
}
CONFLICT: dict[str, str] = {
    "teacher_double": N_("teacher double-booked"),
    "room_double": N_("room double-booked"),
    "candidate_double": N_("candidate in two lessons"),
    "travel": N_("no travel time"),
    "closure": N_("lesson on a closure day"),
    "teacher_unavailable": N_("teacher not available"),
}


def label(table: dict[str, str], code: str | None) -> str:
    """The message id for ``code`` (the code itself when unknown)."""
    if not code:
        return ""
    return table.get(code, code)
