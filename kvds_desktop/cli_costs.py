"""The business-case commands: costs, assumptions, the business case and the report.

``kvds costs`` (list, ``add``, ``delete``), ``kvds assumptions`` (list, ``set KEY
VALUE``), ``kvds business-case --from D --to D`` and, for the ``kvds print`` chooser,
:func:`print_report` with :func:`add_report_arguments` (``kvds print report --from D
--to D --out FILE.pdf``). Registered by :mod:`kvds_desktop.cli`; the commands share its
Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import actor_of as _actor
from kvds_desktop.cli_options import date_arg as _date
from kvds_desktop.cli_options import json_option as _json_option
from kvds_desktop.services import business_case as bc
from kvds_desktop.services.printouts import check_target, write_pdf
from kvds_desktop.services.printouts.management import management_report

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0
Adder = Callable[[str, str], argparse.ArgumentParser]


def _now() -> datetime:
    return datetime.now(UTC)


def _period(ctx: Context) -> tuple[date, date]:
    end = ctx.args.end or ctx.today
    return ctx.args.start or date(end.year, 1, 1), end


def _cost_json(c: bc.CostRow) -> dict[str, Any]:
    return {
        "uid": c.uid, "municipality": c.municipality, "location": c.location,
        "category": c.category, "from": c.period_start.isoformat(),
        "to": c.period_end.isoformat(), "amount_eur": c.amount_eur, "note": c.note,
    }  # fmt: skip


def _costs(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    db = ctx.open()
    try:
        if a.action == "add":
            row = bc.save_cost(
                db, municipality=a.municipality or "", location=a.location,
                category=a.category, period_start=a.start, period_end=a.end,
                amount_eur=a.amount, note=a.note or "", actor=_actor(ctx), now=_now(),
            )  # fmt: skip
            ctx.emit(_cost_json(row), tr._("Cost {id} saved.").format(id=row.uid[:8]))
            return EXIT_OK
        if a.action == "delete":
            uid = bc.find_cost(db, a.id)
            bc.delete_cost(db, uid, actor=_actor(ctx), now=_now())
            ctx.emit({"deleted": uid}, tr._("Cost {id} deleted.").format(id=uid[:8]))
            return EXIT_OK
        rows = bc.list_costs(db, start=a.start, end=a.end)
    finally:
        db.close()
    lines = [
        f"{c.uid[:8]}  {c.period_start.isoformat()} {c.period_end.isoformat()} "
        f"{(c.municipality or '*'):<10} {c.category:<12} {c.amount_eur:>12.2f}  {c.note}"
        for c in rows
    ]
    ctx.emit([_cost_json(c) for c in rows], "\n".join(lines) or tr._("No costs entered."))
    return EXIT_OK


def _assumption_json(a: bc.AssumptionRow) -> dict[str, Any]:
    return {"key": a.key, "value": a.value, "note": a.note, "default": a.is_default}


def _assumptions(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    db = ctx.open()
    try:
        if a.action == "set":
            row = bc.set_assumption(db, a.key, a.value, actor=_actor(ctx), now=_now(),
                                    note=a.note or "")  # fmt: skip
            text = tr._("{key} is now {value}.").format(key=row.key, value=row.value)
            ctx.emit(_assumption_json(row), text)
            return EXIT_OK
        rows = bc.get_assumptions(db)
    finally:
        db.close()
    lines = [
        f"{r.key:<28} {r.value:>10g}  {tr._(r.note)}"
        + ("" if r.is_default else "  " + tr._("(changed by the user)"))
        for r in rows
    ]
    ctx.emit([_assumption_json(r) for r in rows], "\n".join(lines))
    return EXIT_OK


def _figures_json(f: bc.CaseFigures) -> dict[str, Any]:
    return {
        "municipality": f.municipality, "costs": dict(f.costs_by_category),
        "total_cost": f.total_cost, "candidates_served": f.candidates_served,
        "outflows": f.outflows, "outflows_off_benefit": f.outflows_off_benefit,
        "cost_per_candidate": f.cost_per_candidate, "cost_per_outflow": f.cost_per_outflow,
        "benefit_months_saved": f.benefit_months_saved, "amount_saved": f.amount_saved,
    }  # fmt: skip


def _business_case(ctx: Context) -> int:
    tr = ctx.tr
    start, end = _period(ctx)
    db = ctx.open()
    try:
        case = bc.business_case(db, start=start, end=end, municipality=ctx.args.municipality)
    finally:
        db.close()
    data = {
        "from": start.isoformat(), "to": end.isoformat(), "total": _figures_json(case.total),
        "per_municipality": [_figures_json(f) for f in case.per_municipality],
        "assumptions": [_assumption_json(a) for a in case.assumptions],
    }  # fmt: skip
    lines = []
    for f in (*case.per_municipality, case.total):
        name = f.municipality or tr._("All municipalities")
        lines.append(tr._("{name}: costs {cost:.0f}, {served} candidates served, {out} "
                          "outflows, {months:.1f} benefit months saved ({saved:.0f}).")
                     .format(name=name, cost=f.total_cost, served=f.candidates_served,
                             out=f.outflows, months=f.benefit_months_saved,
                             saved=f.amount_saved))  # fmt: skip
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK


def print_report(ctx: Context) -> int:
    """``kvds print report``: the management report of a period as PDF."""
    out = Path(ctx.args.out)
    check_target(out)
    start, end = _period(ctx)
    db = ctx.open()
    try:
        data = management_report(db, start=start, end=end, today=ctx.today, tr=ctx.tr)
    finally:
        db.close()
    write_pdf(out, data)
    text = ctx.tr._("Management report written to {path}.").format(path=out)
    ctx.emit({"path": str(out), "from": start.isoformat(), "to": end.isoformat()}, text)
    return EXIT_OK


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=_date, metavar="DATE",
                        help="default: 1 January of the end's year")  # fmt: skip
    parser.add_argument("--to", dest="end", type=_date, metavar="DATE", help="default: today")


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Give the ``print report`` parser its period (``--out`` comes from the print chooser)."""
    _period_options(parser)
    parser.set_defaults(run=print_report)


def add_commands(command: Adder) -> None:
    """Add ``costs``, ``assumptions`` and ``business-case`` to the ``kvds`` parser."""
    costs = command("costs", "costs per period for the business case: list, add, delete")
    sub = costs.add_subparsers(dest="action", metavar="WHAT")
    costs.set_defaults(run=_costs, action=None, start=None, end=None)
    listing = _json_option(sub.add_parser("list", help="the costs (default)"))
    _period_options(listing)
    add = _json_option(sub.add_parser("add", help="enter a cost for a period"))
    add.add_argument("--category", required=True, choices=list(bc.CATEGORIES))
    add.add_argument("--amount", required=True, type=float, metavar="EUR")
    add.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE")
    add.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE")
    add.add_argument("--municipality", metavar="NAME", help="default: shared by all")
    add.add_argument("--location", metavar="NAME")
    add.add_argument("--note", metavar="TEXT")
    add.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    delete = _json_option(sub.add_parser("delete", help="delete a cost"))
    delete.add_argument("id", metavar="ID", help="the cost's id or its first 6+ characters")
    delete.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    assumptions = command("assumptions", "the assumptions of the business case; set KEY VALUE")
    assumptions.set_defaults(run=_assumptions, action=None)
    asub = assumptions.add_subparsers(dest="action", metavar="WHAT")
    put = _json_option(asub.add_parser("set", help="change an assumption"))
    put.add_argument("key", choices=list(bc.DEFAULTS))
    put.add_argument("value", type=float)
    put.add_argument("--note", metavar="TEXT")
    put.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    case = command("business-case", "costs per candidate and outflow, benefit saved")
    _period_options(case)
    case.add_argument("--municipality", metavar="NAME", help="default: all")
    case.set_defaults(run=_business_case)
