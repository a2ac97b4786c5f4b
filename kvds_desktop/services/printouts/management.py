"""Gathering the management report: the KPIs, the outflow and the business case of a period.

The indicators come from :func:`kvds_desktop.services.kpi.compute_kpis` (new candidates,
attendance, exams passed; reference date the end of the period, or today when that is
earlier), the outflow per destination and per month from the outflow list, and the money
from :func:`kvds_desktop.services.business_case.business_case`. The drawing is done by
:mod:`kvds_desktop.reports.management_report`, which sees only plain values.
"""

from __future__ import annotations

from datetime import date

from kvds_desktop.errors import N_
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.management_report import (
    AreaFigures,
    AssumptionLine,
    ManagementReport,
    management_report_pdf,
)
from kvds_desktop.services import business_case as bc
from kvds_desktop.services.kpi import KpiGroup, compute_kpis
from kvds_desktop.services.kpi.compute import OUTFLOW_GROUPS
from kvds_desktop.services.work.outflow import PAID_WORK, list_outflow
from kvds_desktop.store.database import Database

# KPI outflow figure key -> the destination as the chart names it (English msgid)
DESTINATIONS: dict[str, str] = {
    "outflow_work": N_("paid work"),
    "outflow_work_support": N_("paid work with support"),
    "outflow_education": N_("education"),
    "outflow_volunteer": N_("volunteer work"),
    "outflow_other": N_("other (moved, exempted, stopped ...)"),
}
UNITS: dict[str, str] = {
    bc.BENEFIT_PER_MONTH: "eur",
    bc.BASELINE_YEARS: "years",
    bc.PARTIAL_SHARE: "share",
}


def _destination(kind: str) -> str:
    return next((key for key, kinds in OUTFLOW_GROUPS.items() if kind in kinds), "outflow_other")


def _months(start: date, end: date) -> list[date]:
    months, day = [], date(start.year, start.month, 1)
    while day <= end:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def _area(
    name: str, case: bc.CaseFigures, kpis: KpiGroup | None, outflow: int, to_work: int
) -> AreaFigures:
    def value(key: str) -> float:
        return kpis.figure(key).value if kpis is not None else 0.0

    rate = kpis.figure("attendance_rate") if kpis is not None else None
    return AreaFigures(
        name=name,
        served=case.candidates_served,
        new=round(value("candidates_new")),
        outflow=outflow,
        to_work=to_work,
        attendance_rate=rate.value if rate is not None and rate.base else None,
        exams_passed=round(value("exams_passed")),
        total_cost=case.total_cost,
        cost_per_candidate=case.cost_per_candidate,
        cost_per_outflow=case.cost_per_outflow,
        months_saved=case.benefit_months_saved,
        amount_saved=case.amount_saved,
    )


def gather_management_report(
    db: Database, *, start: date, end: date, today: date
) -> ManagementReport:
    """The figures of the management report for ``start``..``end``, printed on ``today``.

    Raises:
        UserError: the period ends before it starts.
    """
    case = bc.business_case(db, start=start, end=end)
    kpis = compute_kpis(db, at=min(end, today), start=start, end=end)
    outflows = list_outflow(db, start=start, end=end)
    names = sorted(
        {a.municipality for a in case.per_municipality} | {r.municipality for r in outflows}
    )
    cases = {c.municipality: c for c in case.per_municipality}
    groups = {g.name: g for g in kpis.per_municipality}
    empty = bc.compute_case(start=start, end=end, costs=(), served={}, savings=(),
                            assumptions=case.assumptions).total  # fmt: skip
    areas = []
    for name in names:
        mine = [r for r in outflows if r.municipality == name]
        work = sum(1 for r in mine if r.kind in PAID_WORK)
        areas.append(_area(name, cases.get(name, empty), groups.get(name), len(mine), work))
    overall = KpiGroup("", kpis.figures)
    to_work = sum(1 for r in outflows if r.kind in PAID_WORK)
    kinds = tuple(
        (label, tuple(sum(1 for r in outflows if r.municipality == name
                          and _destination(r.kind) == key) for name in names))
        for key, label in DESTINATIONS.items()
    )  # fmt: skip
    months = tuple(
        (first, sum(1 for r in outflows if (r.day.year, r.day.month) == (first.year, first.month)))
        for first in _months(start, end)
    )
    costs = tuple(
        (label, tuple(dict(cases.get(name, empty).costs_by_category)[code] for name in names))
        for code, label in bc.CATEGORIES.items()
    )
    shared = sum(
        bc.cost_in_period(c.amount_eur, c.period_start, c.period_end, start, end)
        for c in bc.list_costs(db, start=start, end=end)
        if c.municipality == bc.SHARED
    )
    return ManagementReport(
        start=start,
        end=end,
        printed_on=today,
        total=_area("", case.total, overall, len(outflows), to_work),
        areas=tuple(areas),
        outflow_kinds=kinds,
        outflow_months=months,
        costs=costs,
        shared_cost=shared,
        assumptions=tuple(
            AssumptionLine(a.key, a.note, a.value, UNITS.get(a.key, ""), a.is_default)
            for a in case.assumptions
        ),
    )


def management_report(
    db: Database, *, start: date, end: date, today: date, tr: Translator
) -> bytes:
    """The management report of ``start``..``end`` as PDF bytes.

    Raises:
        UserError: the period ends before it starts.
    """
    return management_report_pdf(gather_management_report(db, start=start, end=end,
                                                          today=today), tr)  # fmt: skip
