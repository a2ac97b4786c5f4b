"""The scheduling commands: the Groepen & rooster page without a window.

``kvds lessons`` (list a week, or generate), ``kvds conflicts``, ``kvds calendar``,
``kvds closures`` (import, list, holidays), ``kvds groups`` and ``kvds free-days``.
Groups and teachers are named as people write them (any case); a candidate by uid or
client number. Registered by :mod:`kvds_desktop.cli`; the commands share its Context
and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import date_arg as _date
from kvds_desktop.errors import N_
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidates import find_candidate

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK, EXIT_USAGE = 0, 2
CONFLICT_WEEKS = 8


def _week(text: str) -> tuple[int, int]:
    try:
        return svc.parse_iso_week(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO week (2026-W49): {text!r}") from None


def _usage(ctx: Context, message: str) -> int:
    ctx.err.write(f"kvds: {ctx.tr._(message)}\n")
    return EXIT_USAGE


def _hhmm(value: Any) -> str:
    return str(value.strftime("%H:%M"))


def _lesson_json(row: svc.LessonRow) -> dict[str, Any]:
    return {
        "uid": row.uid,
        "date": row.lesson_date.isoformat(),
        "start": _hhmm(row.start),
        "end": _hhmm(row.end),
        "group": row.group_name,
        "group_uid": row.group_uid,
        "location": row.location_name,
        "activity": row.activity_code,
        "activity_name": {"nl": row.activity_name_nl, "en": row.activity_name_en},
        "teacher": row.teacher_name,
        "room": row.room_name,
        "online": row.online,
        "cancelled": row.cancelled,
        "cancel_reason": row.cancel_reason,
        "from_timetable": row.slot_uid is not None,
        "has_attendance": row.has_attendance,
    }


def _period(ctx: Context) -> tuple[date, date]:
    a = ctx.args
    if getattr(a, "week", None):
        week = svc.iso_week_dates(*a.week)
        return week[0], week[-1]
    if a.start or a.end:
        start = a.start or a.end
        return start, a.end or start
    week = svc.iso_week_dates(*ctx.today.isocalendar()[:2])
    return week[0], week[-1]


def _lessons(ctx: Context) -> int:
    a = ctx.args
    if a.action == "generate":
        return _generate(ctx)
    if len(a.group or []) > 1:
        return _usage(ctx, N_("Name one group to list its lessons."))
    if not (a.group or a.teacher or a.candidate):
        return _usage(ctx, N_("Say whose lessons: --group, --teacher or --candidate."))
    start, end = _period(ctx)
    db = ctx.open()
    try:
        rows = svc.lessons_between(
            db,
            start,
            end,
            group_uid=svc.find_group(db, a.group[0]) if a.group else None,
            teacher_id=svc.find_teacher(db, a.teacher) if a.teacher else None,
            candidate_uid=find_candidate(db, a.candidate) if a.candidate else None,
        )
    finally:
        db.close()

    def line(r: svc.LessonRow) -> str:
        day = ctx.tr.date(r.lesson_date, "EEE d MMM")
        place = ctx.tr._("online") if r.online else r.room_name
        text = f"{day:<12} {_hhmm(r.start)}–{_hhmm(r.end)}  {r.activity_code:<5} {r.group_name:<10}"
        text += f" {r.teacher_name:<22} {place}"
        if r.cancelled:
            text += "  " + ctx.tr._("Cancelled: {reason}").format(reason=r.cancel_reason)
        return text

    text = "\n".join(line(r) for r in rows) or ctx.tr._("No lessons in this period.")
    ctx.emit([_lesson_json(r) for r in rows], text)
    return EXIT_OK


def _generate(ctx: Context) -> int:
    a = ctx.args
    if not (a.start and a.end):
        return _usage(ctx, N_("Give the period with --from and --to."))
    db = ctx.open()
    try:
        groups = [svc.find_group(db, name) for name in a.group] if a.group else None
        report = svc.generate_lessons(
            db, start=a.start, end=a.end, group_uids=groups, actor=Actor.current(), today=ctx.today
        )
    finally:
        db.close()
    data = {
        "from": a.start.isoformat(),
        "to": a.end.isoformat(),
        "created": report.created,
        "updated": report.updated,
        "deleted": report.deleted,
        "kept_with_attendance": report.kept_with_attendance,
        "skipped_closure": report.skipped_closure,
    }
    text = ctx.tr._(
        "Lessons: {created} created, {updated} updated, {deleted} deleted; {kept} with "
        "attendance kept as they were; {skipped} dates skipped for closures."
    ).format(
        created=report.created,
        updated=report.updated,
        deleted=report.deleted,
        kept=report.kept_with_attendance,
        skipped=report.skipped_closure,
    )
    ctx.emit(data, text)
    return EXIT_OK


def _conflicts(ctx: Context) -> int:
    a = ctx.args
    start = a.start or ctx.today
    end = a.end or start + timedelta(weeks=CONFLICT_WEEKS)
    db = ctx.open()
    try:
        found = svc.find_conflicts(db, start=start, end=end, travel_minutes=a.travel_minutes)
    finally:
        db.close()
    data = [
        {
            "kind": c.kind.value,
            "date": c.lesson_date.isoformat(),
            "message": c.render(ctx.tr.gettext),
            "message_id": c.message_id,
            "params": c.params,
            "lessons": list(c.lesson_uids),
        }
        for c in found
    ]
    text = "\n".join(f"{c.lesson_date.isoformat()}  {c.render(ctx.tr.gettext)}" for c in found)
    ctx.emit(data, text or ctx.tr._("No conflicts from {start} to {end}.").format(
        start=start.isoformat(), end=end.isoformat()
    ))  # fmt: skip
    return EXIT_OK


def _calendar(ctx: Context) -> int:
    a = ctx.args
    if a.end < a.start:
        return _usage(ctx, N_("The period ends before it starts."))
    db = ctx.open()
    try:
        group_uid = svc.find_group(db, a.group) if a.group else None
        teacher_id = svc.find_teacher(db, a.teacher) if a.teacher else None
        candidate_uid = find_candidate(db, a.candidate) if a.candidate else None
        data = svc.calendar_ics.calendar_ics(
            db,
            group_uid=group_uid,
            teacher_id=teacher_id,
            candidate_uid=candidate_uid,
            start=a.start,
            end=a.end,
            now=datetime.now(UTC),
            language=a.language or ctx.tr.language,
            name=a.group or a.teacher or a.candidate,
        )
    finally:
        db.close()
    out = Path(a.out)
    svc.write_calendar(out, data)
    events = data.count(b"BEGIN:VEVENT")
    ctx.emit(
        {"out": str(out), "events": events},
        ctx.tr._("Lessons written to {path}: {count}.").format(count=events, path=out),
    )
    return EXIT_OK


def _closures_import(ctx: Context) -> int:
    db = ctx.open()
    try:
        report = svc.import_closures_csv(db, Path(ctx.args.file), Actor.current())
    finally:
        db.close()
    rejected = [
        {
            "row": row,
            "message_id": message,
            "params": params,
            "message": ctx.tr._(message).format(**params),
        }
        for row, message, params in report.rejected
    ]
    data = {"added": report.added, "unchanged": report.unchanged, "rejected": rejected}
    lines = [
        ctx.tr._("Closures: {added} added, {unchanged} already there, {rejected} refused.").format(
            added=report.added, unchanged=report.unchanged, rejected=len(rejected)
        )
    ]
    lines += [
        ctx.tr._("Row {row}: {reason}").format(row=r["row"], reason=r["message"]) for r in rejected
    ]
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK


def _closures_list(ctx: Context) -> int:
    start = ctx.args.start or ctx.today
    end = ctx.args.end or start + timedelta(days=365)
    db = ctx.open()
    try:
        rows = svc.list_closures(db, start, end)
    finally:
        db.close()
    data = [
        {
            "uid": r.uid,
            "from": r.date_from.isoformat(),
            "to": r.date_to.isoformat(),
            "kind": r.kind,
            "name": r.name,
            "location": r.location_name,
        }
        for r in rows
    ]
    everywhere = ctx.tr._("all locations")
    text = "\n".join(
        f"{r.date_from.isoformat()} – {r.date_to.isoformat()}  {r.name:<32} "
        f"{r.location_name or everywhere}"
        for r in rows
    )
    ctx.emit(data, text or ctx.tr._("No closures in this period."))
    return EXIT_OK


def _closures_holidays(ctx: Context) -> int:
    years = ctx.args.year or [ctx.today.year, ctx.today.year + 1]
    db = ctx.open()
    try:
        added = svc.ensure_public_holidays(db, years, Actor.current())
    finally:
        db.close()
    ctx.emit(
        {"years": years, "added": added},
        ctx.tr._("Public holidays added: {count}.").format(count=added),
    )
    return EXIT_OK


def _groups(ctx: Context) -> int:
    db = ctx.open()
    try:
        rows = svc.group_rows(db, ctx.today, max_spread=ctx.args.max_spread)
    finally:
        db.close()
    data = [
        {
            "uid": r.uid,
            "name": r.name,
            "location": r.location,
            "level_band": r.level_band,
            "route": r.route,
            "capacity": r.capacity,
            "start": r.start.isoformat(),
            "end": r.end.isoformat() if r.end else None,
            "members_now": r.members_now,
            "over_capacity": r.over_capacity,
            "level_spread": r.level_spread,
            "spread_warning": r.spread_warning,
            "provider": r.provider,
        }
        for r in rows
    ]

    def line(r: svc.GroupRow) -> str:
        text = f"{r.name:<12} {r.location:<10} {r.level_band:<14} {r.members_now:>3}/{r.capacity}"
        if r.over_capacity:
            text += "  " + ctx.tr._("over capacity")
        if r.spread_warning:
            steps = max(r.level_spread.values())
            text += "  " + ctx.tr._("levels spread over {steps} steps").format(steps=steps)
        return text

    ctx.emit(data, "\n".join(line(r) for r in rows) or ctx.tr._("No groups."))
    return EXIT_OK


def _free_days(ctx: Context) -> int:
    db = ctx.open()
    try:
        free = svc.days_without_lessons(db, find_candidate(db, ctx.args.candidate), *ctx.args.week)
    finally:
        db.close()
    text = ", ".join(ctx.tr.date(d, "EEEE d MMMM") for d in free)
    ctx.emit([d.isoformat() for d in free], text or ctx.tr._("No days without lessons."))
    return EXIT_OK


def add_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add the scheduling commands to the parser."""
    lessons = command("lessons", "a week's lessons, or generate lessons from the timetable")
    lessons.add_argument("action", nargs="?", choices=("list", "generate"), default="list")
    lessons.add_argument("--group", action="append", metavar="NAME", help="group name")
    lessons.add_argument("--teacher", metavar="NAME")
    lessons.add_argument("--candidate", metavar="REF", help="id or client number")
    lessons.add_argument("--week", type=_week, metavar="2026-W49")
    lessons.add_argument("--from", dest="start", type=_date, metavar="DATE")
    lessons.add_argument("--to", dest="end", type=_date, metavar="DATE")
    lessons.set_defaults(run=_lessons)

    conflicts = command("conflicts", "conflicts in the lessons (default: the next 8 weeks)")
    conflicts.add_argument("--from", dest="start", type=_date, metavar="DATE")
    conflicts.add_argument("--to", dest="end", type=_date, metavar="DATE")
    conflicts.add_argument("--travel-minutes", type=int, default=30, metavar="N")
    conflicts.set_defaults(run=_conflicts)

    calendar = command("calendar", "write the lessons of a group, teacher or candidate as ICS")
    whose = calendar.add_mutually_exclusive_group(required=True)
    whose.add_argument("--group", metavar="NAME")
    whose.add_argument("--teacher", metavar="NAME")
    whose.add_argument("--candidate", metavar="REF", help="id or client number")
    calendar.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE")
    calendar.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE")
    calendar.add_argument("--out", required=True, metavar="FILE.ics")
    calendar.add_argument("--language", choices=("nl", "en"))
    calendar.set_defaults(run=_calendar)

    closures = command("closures", "closure days: import, list, public holidays")
    sub = closures.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, help_text: str, run: Callable[[Context], int]) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help="machine-readable output on stdout",
        )
        cmd.set_defaults(run=run)
        return cmd

    imp = action("import", "import school holidays and closure days from CSV", _closures_import)
    imp.add_argument("file", metavar="FILE.csv")
    lst = action("list", "the closures in a period (default: a year from today)", _closures_list)
    lst.add_argument("--from", dest="start", type=_date, metavar="DATE")
    lst.add_argument("--to", dest="end", type=_date, metavar="DATE")
    hol = action("holidays", "add the Dutch public holidays of some years", _closures_holidays)
    hol.add_argument("--year", type=int, action="append", metavar="YEAR")

    groups = command("groups", "the groups with capacity and level-spread warnings")
    groups.add_argument("--max-spread", type=int, default=svc.DEFAULT_MAX_SPREAD, metavar="STEPS")
    groups.set_defaults(run=_groups)

    free = command("free-days", "a candidate's weekdays without lessons in a week")
    free.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    free.add_argument("--week", type=_week, required=True, metavar="2026-W49")
    free.set_defaults(run=_free_days)
