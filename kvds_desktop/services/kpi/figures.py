"""The indicator model: a figure with the candidates behind it, grouped per scope.

Every figure carries the uids of the candidates it counts, so a screen can click through
to that list; ``count`` is always the length of that list. ``value`` is the figure shown:
the count itself (unit ``count``), ``count / base`` (unit ``share``), or a measure over
those candidates (``days``, ``hours``, ``rate``, ``fte``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kvds_desktop.errors import N_

COUNT = "count"
SHARE = "share"
DAYS = "days"
HOURS = "hours"
RATE = "rate"
FTE = "fte"

# figure key -> English msgid of its label
LABELS: dict[str, str] = {
    "candidates_started": N_("Candidates started up to the reference date"),
    "candidates_active": N_("Active candidates"),
    "candidates_new": N_("New candidates in the period"),
    "candidates_ended": N_("Candidates who left in the period"),
    "outflow_total": N_("Flowed out up to the reference date"),
    "outflow_share": N_("Flowed out, share of all who started"),
    "outflow_work": N_("Outflow to paid work"),
    "outflow_work_support": N_("Outflow to paid work with support"),
    "outflow_education": N_("Outflow to education"),
    "outflow_volunteer": N_("Outflow to volunteer work"),
    "outflow_other": N_("Other outflow"),
    "outflow_days_median": N_("Days from start to outflow (median)"),
    "outflow_days_average": N_("Days from start to outflow (average)"),
    "outflow_within_goal": N_("Outflow within {goal} days, share of outflow"),
    "attendance_rate": N_("Attendance rate in the period"),
    "hours_offered": N_("Hours offered in the period"),
    "hours_followed": N_("Hours followed in the period"),
    "signals_open": N_("Candidates with an absence signal not yet sent"),
    "at_target_lezen": N_("At target level: reading"),
    "at_target_luisteren": N_("At target level: listening"),
    "at_target_spreken": N_("At target level: speaking"),
    "at_target_schrijven": N_("At target level: writing"),
    "exams_passed": N_("Candidates who passed an exam part in the period"),
    "pip_in_time": N_("PIP within 10 weeks of registration"),
    "deadlines_coming": N_("Integration term ending within {days} days"),
    "caseload_fte": N_("Staff needed at {fte} fte per 100 inburgeraars"),
    "target_progress": N_("Outflow toward the municipal target of {target}"),
}


@dataclass(frozen=True)
class Figure:
    """One indicator and the candidates behind it."""

    key: str
    label_id: str  # English msgid; translate with the params
    value: float
    unit: str
    candidate_uids: tuple[str, ...]
    base: int | None = None  # the denominator of a share or rate, when there is one
    params: tuple[tuple[str, str | int | float], ...] = ()

    @property
    def count(self) -> int:
        """How many candidates are behind the figure."""
        return len(self.candidate_uids)


@dataclass(frozen=True)
class KpiGroup:
    """The figures of one slice: a municipality, a location or a cohort."""

    name: str
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        """The figure with ``key``.

        Raises:
            KeyError: no such figure in this group.
        """
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)


@dataclass(frozen=True)
class KpiScope:
    """The filters the figures were computed with (None: all)."""

    municipality: str | None = None
    location: str | None = None
    law: str | None = None
    route: str | None = None


@dataclass(frozen=True)
class KpiSet:
    """Every figure for a reference date and period, in total and per slice."""

    reference: date
    start: date
    end: date
    scope: KpiScope
    figures: tuple[Figure, ...]
    per_municipality: tuple[KpiGroup, ...]
    per_location: tuple[KpiGroup, ...]
    per_cohort: tuple[KpiGroup, ...]  # start quarter of registration, "2019-Q2"

    def figure(self, key: str) -> Figure:
        """The overall figure with ``key``.

        Raises:
            KeyError: no such figure.
        """
        return KpiGroup("", self.figures).figure(key)
