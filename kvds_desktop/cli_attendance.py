"""The attendance commands: the Aanwezigheid page and its reports without a window.

``kvds attendance mark|history``, ``kvds export attendance``, ``kvds signals``,
``kvds unregistered`` and ``kvds statuses``. A lesson is named by its uid, a candidate by
uid or client number. Registered by :mod:`kvds_desktop.cli`; the commands share its
Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import actor_of as _actor
from kvds_desktop.cli_options import date_arg as _date
from kvds_desktop.cli_options import json_option as _json_option
from kvds_desktop.exchange.attendance_export import (
    export_attendance_detail,
    export_attendance_summary,
)
from kvds_desktop.exchange.candidate_export import export_format
from kvds_desktop.services import attendance as att
from kvds_desktop.services.audit import record_export
from kvds_desktop.services.candidates import find_candidate

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0
CLI_SOURCE = "kvds"


def _mark_json(mark: att.MarkRow | None) -> dict[str, Any] | None:
    if mark is None:
        return None
    return {
        "uid": mark.uid,
        "status": mark.status_code,
        "reason": mark.reason,
        "minutes": mark.minutes,
        "note": mark.note,
        "recorded_by": mark.recorded_by,
        "recorded_at": mark.recorded_at.isoformat(),
        "source": mark.source,
    }


def _mark(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        change = att.set_mark(
            db,
            lesson_uid=a.lesson,
            candidate_uid=find_candidate(db, a.candidate),
            status_code=a.status,
            reason=a.reason or "",
            minutes=a.minutes,
            note=a.note or "",
            actor=_actor(ctx),
            source=CLI_SOURCE,
            now=datetime.now(UTC),
        )
    finally:
        db.close()
    data = {
        "candidate": change.candidate_uid,
        "before": _mark_json(change.before),
        "after": _mark_json(change.after),
    }
    old = change.before.status_code if change.before else "-"
    new = change.after.status_code if change.after else "-"
    text = ctx.tr._("Mark saved: {old} → {new}.").format(old=old, new=new)
    ctx.emit(data, text)
    return EXIT_OK


def _history(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        rows = att.mark_history(db, a.lesson, find_candidate(db, a.candidate))
    finally:
        db.close()
    data = [
        {
            "at": r.at.isoformat(),
            "actor": r.actor,
            "device": r.device,
            "action": r.action,
            "old": r.old,
            "new": r.new,
        }
        for r in rows
    ]

    def line(r: att.HistoryRow) -> str:
        old = r.old.get("status", "-") if r.old else "-"
        new = r.new.get("status", "-") if r.new else "-"
        when = ctx.tr.datetime(r.at.astimezone(), "short")
        return f"{when}  {r.actor:<20} {old} → {new}"

    text = "\n".join(line(r) for r in rows) or ctx.tr._("This mark has no history.")
    ctx.emit(data, text)
    return EXIT_OK


def _export(ctx: Context) -> int:
    a = ctx.args
    out = Path(a.out)
    kind = export_format(out)  # refuse a wrong extension before opening anything
    db = ctx.open()
    try:
        write = export_attendance_summary if a.summary else export_attendance_detail
        rows = write(db, out, start=a.start, end=a.end)
    finally:
        db.close()
    data = {
        "path": str(out),
        "format": kind,
        "rows": rows,
        "summary": bool(a.summary),
        "from": a.start.isoformat(),
        "to": a.end.isoformat(),
    }
    text = ctx.tr._("{rows} attendance rows exported to {path}.").format(rows=rows, path=out)
    ctx.emit(data, text)
    return EXIT_OK


def _signals(ctx: Context) -> int:
    a = ctx.args
    at = a.at or ctx.today
    db = ctx.open()
    try:
        att.ensure_default_rules(db, _actor(ctx))
        rows = att.find_signals(db, at)
        files = (
            att.export_signals_per_klantmanager(db, Path(a.report), at=at, gettext=ctx.tr.gettext)
            if a.report
            else []
        )
        if files:
            record_export(db, _actor(ctx), "signals", str(a.report), count=len(files),
                          recipient="klantmanagers")  # fmt: skip
    finally:
        db.close()
    data = {
        "at": at.isoformat(),
        "signals": [
            {
                "candidate": r.candidate_uid,
                "klantnummer": r.klantnummer,
                "name": r.name,
                "municipality": r.municipality,
                "klantmanager": r.klantmanager,
                "klantmanager_email": r.klantmanager_email,
                "rule": r.rule_uid,
                "kind": r.rule_kind,
                "message_id": r.message_id,
                "params": r.params,
                "message": ctx.tr._(r.message_id).format(**r.params),
                "period": r.period_key,
                "sent_on": r.sent_on.isoformat() if r.sent_on else None,
            }
            for r in rows
        ],
        "files": [str(path) for path in files],
    }
    lines = []
    manager = None
    for r in rows:
        if r.klantmanager != manager:
            manager = r.klantmanager
            lines.append(manager or ctx.tr._("(no klantmanager)"))
        reason = ctx.tr._(r.message_id).format(**r.params)
        lines.append(f"  {r.name:<28} {reason}")
    text = "\n".join(lines) or ctx.tr._("No signals on {date}.").format(date=at.isoformat())
    if files:
        text += "\n" + ctx.tr._("Reports written: {count}.").format(count=len(files))
    ctx.emit(data, text)
    return EXIT_OK


def _unregistered(ctx: Context) -> int:
    a = ctx.args
    until = a.until or ctx.today
    since = a.since or until - timedelta(days=28)
    db = ctx.open()
    try:
        rows = att.unregistered_lessons(db, until=until, since=since)
    finally:
        db.close()
    data = [
        {
            "lesson": r.lesson_uid,
            "date": r.lesson_date.isoformat(),
            "start": r.start.strftime("%H:%M"),
            "group": r.group_name,
            "teacher": r.teacher_name,
            "roster": r.roster_size,
            "marked": r.marked,
        }
        for r in rows
    ]
    lines = [
        f"{r.teacher_name or '-':<24} {r.lesson_date.isoformat()} {r.start.strftime('%H:%M')} "
        f"{r.group_name:<12} {r.marked}/{r.roster_size}"
        for r in rows
    ]
    text = "\n".join(lines) or ctx.tr._("Every lesson is registered.")
    ctx.emit(data, text)
    return EXIT_OK


def _statuses(ctx: Context) -> int:
    db = ctx.open()
    try:
        rows = att.list_statuses(db, active_only=not ctx.args.all)
    finally:
        db.close()
    data = [
        {
            "code": r.code,
            "label": {"nl": r.label_nl, "en": r.label_en},
            "counts_present": r.counts_present,
            "counts_late": r.counts_late,
            "excused": r.excused,
            "needs_reason": r.needs_reason,
            "needs_minutes": r.needs_minutes,
            "teacher_may_use": r.teacher_may_use,
            "active": r.active,
        }
        for r in rows
    ]
    label = "label_nl" if ctx.tr.language == "nl" else "label_en"
    text = "\n".join(f"{r.code}  {getattr(r, label)}" for r in rows)
    ctx.emit(data, text)
    return EXIT_OK


def add_commands(
    command: Callable[[str, str], argparse.ArgumentParser],
    exports: argparse._SubParsersAction[argparse.ArgumentParser] | None = None,
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Add the attendance commands; ``exports`` is the ``kvds export`` kind chooser.

    Returns the ``kvds attendance`` action chooser, for the offline commands.
    """
    attendance = command("attendance", "record a mark, or show a mark's history")
    actions = attendance.add_subparsers(dest="action", required=True, metavar="ACTION")
    mark = _json_option(actions.add_parser("mark", help="record or change a mark"))
    mark.add_argument("--lesson", required=True, metavar="ID", help="lesson uid")
    mark.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    mark.add_argument("--status", required=True, metavar="CODE")
    mark.add_argument("--reason", choices=att.REASONS)
    mark.add_argument("--minutes", type=int, metavar="N", help="minutes late or left early")
    mark.add_argument("--note", metavar="TEXT")
    mark.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    mark.set_defaults(run=_mark)
    history = _json_option(actions.add_parser("history", help="every change of a mark"))
    history.add_argument("--lesson", required=True, metavar="ID", help="lesson uid")
    history.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    history.set_defaults(run=_history)

    if exports is not None:
        export = _json_option(
            exports.add_parser("attendance", help="export attendance (CSV or XLSX, by extension)")
        )
        export.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE")
        export.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE")
        export.add_argument("--summary", action="store_true", help="one row per candidate")
        export.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx")
        export.set_defaults(run=_export)

    signals = command("signals", "candidates crossing an absence signal rule")
    signals.add_argument("--at", type=_date, metavar="DATE", help="default: today")
    signals.add_argument("--report", metavar="FOLDER", help="write one CSV per klantmanager")
    signals.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    signals.set_defaults(run=_signals)

    unregistered = command("unregistered", "past lessons not fully registered, per teacher")
    unregistered.add_argument("--until", type=_date, metavar="DATE", help="default: today")
    unregistered.add_argument("--since", type=_date, metavar="DATE", help="default: 4 weeks")
    unregistered.set_defaults(run=_unregistered)

    statuses = command("statuses", "the attendance statuses")
    statuses.add_argument("--all", action="store_true", help="inactive statuses too")
    statuses.set_defaults(run=_statuses)
    return actions
