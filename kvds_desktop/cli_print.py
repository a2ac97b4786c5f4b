"""The ``kvds print`` commands: the printed weekly overviews and schedules as PDF files.

``kvds print week --group NAME --week 2026-W49 --out FILE.pdf`` writes one group's
overview and attendance list; ``--location NAME`` the overview of every group of a
location (add ``--sheets`` for each group's full attendance list instead), ``--all``
every group's attendance list. ``kvds print schedule --candidate REF`` writes a
candidate's week. The language is the global ``--lang``. The file is written whole or
not at all. Registered by :mod:`kvds_desktop.cli`; the commands share its Context.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop import cli_costs
from kvds_desktop.cli_options import actor_of
from kvds_desktop.services import printouts
from kvds_desktop.services.audit import record_export
from kvds_desktop.services.candidates import find_candidate
from kvds_desktop.services.printouts.progress import progress_report_pdf_bytes
from kvds_desktop.services.scheduling import find_group, parse_iso_week

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0


def _week(text: str) -> tuple[int, int]:
    try:
        return parse_iso_week(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO week (2026-W49): {text!r}") from None


def _now(ctx: Context) -> datetime:
    """The moment of printing, on the command's date (``--today`` in tests)."""
    return datetime.combine(ctx.today, datetime.now(UTC).timetz())


def _key(week: tuple[int, int]) -> str:
    return f"{week[0]}-W{week[1]:02d}"


def _progress(ctx: Context) -> printouts.Progress | None:
    if ctx.args.json or not ctx.err.isatty():
        return None

    def show(done: int, total: int) -> bool:
        ctx.err.write(f"\r{done}/{total}")
        ctx.err.flush()
        return True

    return show


def _written(ctx: Context, out: Path, data: bytes, facts: dict[str, Any], text: str) -> int:
    printouts.write_pdf(out, data)
    ctx.emit({"out": str(out), "bytes": len(data), **facts}, text)
    return EXIT_OK


def _print_week(ctx: Context) -> int:
    a = ctx.args
    out = Path(a.out)
    printouts.check_target(out)  # before any work: a wrong path costs nothing
    facts: dict[str, Any] = {"week": _key(a.week), "language": ctx.tr.language}
    db = ctx.open()
    try:
        if a.group:
            group_uid = find_group(db, a.group)
            data = printouts.week_overview_pdf(
                db, group_uid=group_uid, week=a.week, tr=ctx.tr, now=_now(ctx)
            )
            version = printouts.printed_version(db, group_uid, a.week)
            facts.update(kind="group", group=a.group, version=version)
            text = ctx.tr._("Week overview of {group}, version {version}, written to {path}.")
            text = text.format(group=a.group, version=version, path=out)
        elif a.location and not a.sheets:
            data = printouts.location_overview_pdf(
                db, location=a.location, week=a.week, tr=ctx.tr, now=_now(ctx)
            )
            facts.update(kind="location", location=a.location)
            text = ctx.tr._("Overview of {location} written to {path}.")
            text = text.format(location=a.location, path=out)
        else:
            progress = _progress(ctx)
            data = printouts.all_groups_pdf(
                db, week=a.week, tr=ctx.tr, now=_now(ctx), progress=progress, location=a.location
            )
            if progress is not None:
                ctx.err.write("\n")
            facts.update(kind="groups", location=a.location)
            text = ctx.tr._("Attendance lists of the groups written to {path}.").format(path=out)
    finally:
        db.close()
    return _written(ctx, out, data, facts, text)


def _print_schedule(ctx: Context) -> int:
    a = ctx.args
    out = Path(a.out)
    printouts.check_target(out)
    db = ctx.open()
    try:
        candidate_uid = find_candidate(db, a.candidate)
        data = printouts.candidate_schedule_pdf(
            db, candidate_uid=candidate_uid, week=a.week, tr=ctx.tr, now=_now(ctx)
        )
        record_export(db, actor_of(ctx), "schedule", str(out), about=candidate_uid)
    finally:
        db.close()
    facts = {"kind": "schedule", "candidate": candidate_uid, "week": _key(a.week)}
    text = ctx.tr._("Weekly schedule written to {path}.").format(path=out)
    return _written(ctx, out, data, facts, text)


def _print_progress(ctx: Context) -> int:
    a = ctx.args
    out = Path(a.out)
    printouts.check_target(out)
    db = ctx.open()
    try:
        candidate_uid = find_candidate(db, a.candidate)
        data = progress_report_pdf_bytes(
            db, candidate_uid=candidate_uid, tr=ctx.tr, today=ctx.today, now=_now(ctx)
        )
        record_export(db, actor_of(ctx), "progress_report", str(out), about=candidate_uid,
                      recipient="klantmanager")  # fmt: skip
    finally:
        db.close()
    facts = {"kind": "progress", "candidate": candidate_uid}
    text = ctx.tr._("Progress report written to {path}.").format(path=out)
    return _written(ctx, out, data, facts, text)


def add_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add the ``print`` commands to the ``kvds`` parser."""
    printing = command("print", "weekly group overviews and schedules as PDF")
    sub = printing.add_subparsers(dest="action", required=True, metavar="WHAT")

    def action(
        name: str, help_text: str, run: Callable[[Context], int], *, week: bool = True
    ) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help="machine-readable output on stdout",
        )
        if week:
            cmd.add_argument("--week", type=_week, required=True, metavar="2026-W49")
        cmd.add_argument("--out", required=True, metavar="FILE.pdf")
        cmd.set_defaults(run=run)
        return cmd

    week = action("week", "a group's overview and attendance list, or a location's", _print_week)
    which = week.add_mutually_exclusive_group(required=True)
    which.add_argument("--group", metavar="NAME", help="one group (any case)")
    which.add_argument("--location", metavar="NAME", help="every group of a location")
    which.add_argument("--all", action="store_true", help="every group's attendance list")
    week.add_argument(
        "--sheets",
        action="store_true",
        help="with --location: each group's attendance list instead of the overview",
    )
    schedule = action("schedule", "a candidate's lessons and placements in a week", _print_schedule)
    schedule.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    report = action(
        "progress", "a candidate's progress report for the klantmanager", _print_progress,
        week=False,
    )  # fmt: skip
    report.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    cli_costs.add_report_arguments(
        action("report", "the management report of a period", cli_costs.print_report, week=False)
    )
