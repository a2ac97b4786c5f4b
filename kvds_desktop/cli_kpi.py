"""The ``kvds kpi`` command: the dashboard's indicators without a window.

``kvds kpi [--at D] [--from D --to D] [--municipality NAME] [--location NAME] [--law L]
[--route R] [--json]``. Without ``--at`` the reference date is today; without a period,
from 1 January 2019 (the pilot's target window) up to the reference date. Registered by
:mod:`kvds_desktop.cli`; the command shares its Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import date_arg as _date
from kvds_desktop.domain.enums import Law, Route
from kvds_desktop.services.audit import Actor, record_export
from kvds_desktop.services.digest import write_digests
from kvds_desktop.services.duo import duo_contract_rows, export_duo
from kvds_desktop.services.kpi import TARGET_START, Figure, KpiGroup, KpiSet, compute_kpis

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0


def _figure_json(figure: Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label_id,
        "value": figure.value,
        "unit": figure.unit,
        "count": figure.count,
        "base": figure.base,
        "params": dict(figure.params),
        "candidates": list(figure.candidate_uids),
    }


def _group_json(group: KpiGroup) -> dict[str, Any]:
    return {"name": group.name, "figures": [_figure_json(f) for f in group.figures]}


def kpi_json(kpis: KpiSet) -> dict[str, Any]:
    """The indicators as plain JSON values."""
    return {
        "reference": kpis.reference.isoformat(),
        "start": kpis.start.isoformat(),
        "end": kpis.end.isoformat(),
        "scope": {
            "municipality": kpis.scope.municipality,
            "location": kpis.scope.location,
            "law": kpis.scope.law,
            "route": kpis.scope.route,
        },
        "figures": [_figure_json(f) for f in kpis.figures],
        "per_municipality": [_group_json(g) for g in kpis.per_municipality],
        "per_location": [_group_json(g) for g in kpis.per_location],
        "per_cohort": [_group_json(g) for g in kpis.per_cohort],
    }


def _shown(figure: Figure) -> str:
    if figure.unit in ("share", "rate"):
        return f"{figure.value:.0%} ({figure.count})"
    if figure.unit == "count":
        return str(figure.count)
    return f"{figure.value:g} {figure.unit}"


def _kpi(ctx: Context) -> int:
    a = ctx.args
    at: date = a.at or ctx.today
    db = ctx.open()
    try:
        kpis = compute_kpis(
            db, at=at, start=a.start or TARGET_START, end=a.end or at,
            municipality=a.municipality, location=a.location, law=a.law, route=a.route,
        )  # fmt: skip
    finally:
        db.close()
    lines = [
        ctx.tr._("Indicators on {at}, period {start} to {end}").format(
            at=kpis.reference, start=kpis.start, end=kpis.end
        )
    ]
    for figure in kpis.figures:
        label = ctx.tr._(figure.label_id).format(**dict(figure.params))
        lines.append(f"  {label}: {_shown(figure)}")
    for group in kpis.per_municipality:
        started = group.figure("candidates_started").count
        out = group.figure("outflow_total").count
        lines.append(
            ctx.tr._("  {name}: {started} candidates, {out} flowed out").format(
                name=group.name, started=started, out=out
            )
        )
    ctx.emit(kpi_json(kpis), "\n".join(lines))
    return EXIT_OK


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.strip().split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a month (2026-11): {text!r}") from None
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"not a month (2026-11): {text!r}")
    return year, month


def _digest(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        paths = write_digests(db, start=a.start, end=a.end, out_dir=Path(a.out_dir),
                              language=ctx.tr.language, fmt=a.format, today=ctx.today)  # fmt: skip
        record_export(db, Actor.current(), "digest", str(a.out_dir), count=len(paths),
                      recipient="klantmanagers")  # fmt: skip
    finally:
        db.close()
    text = "\n".join(str(p) for p in paths) or ctx.tr._("No klantmanager has candidates.")
    ctx.emit({"files": [str(p) for p in paths]}, text)
    return EXIT_OK


def _duo(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        rows = duo_contract_rows(db, month=a.month, today=ctx.today)
        result = export_duo(
            db, rows=rows, month=a.month, bow=a.bow, out_dir=Path(a.out_dir), today=ctx.today,
            actor=Actor.current(), now=datetime.now(UTC),
        )  # fmt: skip
    finally:
        db.close()
    problems = [
        {"name": r.name, "klantnummer": r.klantnummer, "problem": ctx.tr._(r.problem)}
        for r in result.problems
    ]
    lines = [ctx.tr._("DUO file written to {path}: {rows} rows.").format(
        path=result.path, rows=result.written)]  # fmt: skip
    lines += [
        ctx.tr._("left out: {name} ({number}): {problem}").format(
            name=p["name"], number=p["klantnummer"], problem=p["problem"])
        for p in problems
    ]  # fmt: skip
    ctx.emit({"file": str(result.path), "rows": result.written, "problems": problems},
             "\n".join(lines))  # fmt: skip
    return EXIT_OK


def add_commands(
    command: Callable[[str, str], argparse.ArgumentParser],
    exports: argparse._SubParsersAction[argparse.ArgumentParser] | None = None,
    *_: Any,
) -> None:
    """Add ``kvds kpi``, and ``kvds export digest`` / ``kvds export duo``."""
    if exports is not None:
        digest = exports.add_parser("digest", help="one file per klantmanager for a period")
        digest.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
        digest.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE")
        digest.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE")
        digest.add_argument("--out-dir", required=True, metavar="DIR")
        digest.add_argument("--format", choices=("pdf", "xlsx", "csv"), default="xlsx")
        digest.set_defaults(run=_digest)
        duo = exports.add_parser("duo", help="the DUO monthly contract file (Wi2013)")
        duo.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
        duo.add_argument("--month", type=_month, required=True, metavar="2026-11")
        duo.add_argument("--bow", required=True, metavar="NUMBER")
        duo.add_argument("--out-dir", required=True, metavar="DIR")
        duo.set_defaults(run=_duo)
    kpi = command("kpi", "the dashboard's indicators, each with the candidates behind it")
    kpi.add_argument("--at", type=_date, metavar="DATE", help="reference date (default: today)")
    kpi.add_argument("--from", dest="start", type=_date, metavar="DATE")
    kpi.add_argument("--to", dest="end", type=_date, metavar="DATE")
    kpi.add_argument("--municipality", metavar="NAME")
    kpi.add_argument("--location", metavar="NAME")
    kpi.add_argument("--law", choices=[m.value for m in Law])
    kpi.add_argument("--route", choices=[m.value for m in Route])
    kpi.set_defaults(run=_kpi)
