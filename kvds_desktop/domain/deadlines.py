"""Deadlines of the integration law that the coordinator must watch, with their reasons.

Pure functions of a candidate's facts and a reference date: the PIP within 10 weeks
of registration, the window for a route switch (18 months after the term start),
the end of the 3-year term, and MAP or PVT not complete with little time left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kvds_desktop.domain import rules
from kvds_desktop.domain.enums import ENDED_STATUSES, CandidateStatus, Law, Route
from kvds_desktop.errors import N_

ROUTE_SWITCH_WARNING_DAYS = 61  # about two months
TERM_WARNING_DAYS = 183  # about six months


class DeadlineKind(StrEnum):
    """The kinds of deadline."""

    PIP = "pip"
    ROUTE_SWITCH = "route_switch"
    TERM_END = "term_end"
    MAP_PVT = "map_pvt"


KIND_LABELS: dict[DeadlineKind, str] = {
    DeadlineKind.PIP: N_("PIP within 10 weeks"),
    DeadlineKind.ROUTE_SWITCH: N_("Route switch window closing"),
    DeadlineKind.TERM_END: N_("Integration term ending"),
    DeadlineKind.MAP_PVT: N_("MAP or PVT not complete"),
}


@dataclass(frozen=True)
class CandidateFacts:
    """What the deadlines depend on."""

    law: str
    status: str
    route: str | None
    registration_date: date
    first_pip: date | None
    term_start: date | None
    term_end: date | None
    map_complete: bool
    pvt_complete: bool


@dataclass(frozen=True)
class Deadline:
    """One deadline: when, how many days are left, and why it is shown."""

    kind: DeadlineKind
    due: date
    days_left: int
    reason: str  # an English message id with {date}, {days} and {modules} placeholders
    modules: str = ""  # for MAP/PVT: a message id naming what is missing

    @property
    def overdue(self) -> bool:
        """Whether the day has passed."""
        return self.days_left < 0


def _deadline(
    kind: DeadlineKind, due: date, today: date, reason: str, modules: str = ""
) -> Deadline:
    return Deadline(kind, due, (due - today).days, reason, modules)


def _missing_modules(facts: CandidateFacts) -> str:
    needs_map = facts.route in (Route.B1, Route.ONDERWIJS, None)
    map_missing = needs_map and not facts.map_complete
    if map_missing and not facts.pvt_complete:
        return N_("MAP and PVT")
    if map_missing:
        return N_("MAP")
    if not facts.pvt_complete:
        return N_("PVT")
    return ""


def deadlines_for(facts: CandidateFacts, today: date) -> list[Deadline]:
    """The deadlines that need attention on ``today``, soonest first."""
    if facts.law != Law.WI2021 or CandidateStatus(facts.status) in ENDED_STATUSES:
        return []
    found: list[Deadline] = []
    if facts.first_pip is None:
        due = rules.pip_deadline(facts.registration_date)
        reason = (
            N_("The PIP was due on {date}, 10 weeks after registration ({days} late).")
            if due < today
            else N_("The PIP must be decided by {date}, 10 weeks after registration ({days} left).")
        )
        found.append(_deadline(DeadlineKind.PIP, due, today, reason))
    if facts.term_start is not None:
        switch_by = rules.route_switch_deadline(facts.term_start)
        if 0 <= (switch_by - today).days <= ROUTE_SWITCH_WARNING_DAYS:
            reason = N_(
                "A route switch is possible until {date}, 18 months after the start of "
                "the term ({days} left)."
            )
            found.append(_deadline(DeadlineKind.ROUTE_SWITCH, switch_by, today, reason))
    end = facts.term_end or (rules.term_end(facts.term_start) if facts.term_start else None)
    if end is not None and (end - today).days <= TERM_WARNING_DAYS:
        reason = (
            N_("The integration term ended on {date} ({days} ago).")
            if end < today
            else N_("The integration term ends on {date} ({days} left).")
        )
        found.append(_deadline(DeadlineKind.TERM_END, end, today, reason))
        missing = _missing_modules(facts)
        if missing:
            reason = N_("{modules} not complete, and the term ends on {date}.")
            found.append(_deadline(DeadlineKind.MAP_PVT, end, today, reason, missing))
    found.sort(key=lambda d: d.due)
    return found
