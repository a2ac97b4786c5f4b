"""The exam and module commands: a candidate's exam parts, MAP / ONA, PVT and Z-route hours.

``kvds exams [show] --candidate REF`` shows the exam parts with their attempts and
exemptions, and the module overview; ``kvds exams attempt``, ``kvds exams exempt`` and
``kvds exams delete`` change them; ``kvds module`` records practical hours, a theme or
result card, the final interview or the signed participation statement. A candidate is
named by uid or client number. Registered by :mod:`kvds_desktop.cli`; the commands share
its Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import actor_of as _actor
from kvds_desktop.cli_options import date_arg as _date
from kvds_desktop.cli_options import json_option as _json_option
from kvds_desktop.domain import labels
from kvds_desktop.domain.enums import ExamPartKind, ExamResult, Exemption, ModuleKind
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.candidates import find_candidate
from kvds_desktop.services.progress import exams, modules

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _part_json(ctx: Context, row: exams.ExamPartRow) -> dict[str, Any]:
    return {
        "uid": row.uid,
        "part": row.part,
        "target_level": row.target_level,
        "applies": row.applies,
        "status": row.status.value,
        "status_text": ctx.tr._(row.status_text_id).format(**row.status_params),
        "passed": row.passed,
        "done": row.done,
        "exemption": row.exemption,
        "exemption_date": _iso(row.exemption_date),
        "exemption_reason": row.exemption_reason,
        "attempts": [
            {"uid": a.uid, "number": a.number, "date": a.day.isoformat(), "result": a.result,
             "score": a.score, "level": a.level}
            for a in row.attempts
        ],
    }  # fmt: skip


def _module_json(overview: modules.ModuleOverview) -> dict[str, Any]:
    return {
        "law": overview.law,
        "kind": overview.kind,
        "practical_hours": overview.practical_hours,
        "hours_needed": overview.hours_needed,
        "themes": [
            {"item": t.item, "completed_on": _iso(t.completed_on), "note": t.note,
             "hours": t.hours}
            for t in overview.themes
        ],
        "themes_done": overview.themes_done,
        "final_interview": _iso(overview.final_interview),
        "pvt_applies": overview.pvt_applies,
        "pvt_signed": _iso(overview.pvt_signed),
        "z_route": overview.z_route,
        "z_language_hours": round(overview.z_language_hours, 2),
        "z_language_needed": overview.z_language_needed,
        "z_participation_hours": round(overview.z_participation_hours, 2),
        "z_participation_needed": overview.z_participation_needed,
        "complete": overview.complete,
    }  # fmt: skip


def _part_name(ctx: Context, part: str) -> str:
    skill = labels.SKILL.get(part)
    return ctx.tr._(skill) if skill else part.upper()


def _part_lines(ctx: Context, row: exams.ExamPartRow) -> list[str]:
    level = labels.label(labels.LEVEL, row.target_level)
    status = ctx.tr._(row.status_text_id).format(**row.status_params)
    if not row.applies:
        status += " · " + ctx.tr._("not required on this route")
    lines = [f"  {_part_name(ctx, row.part):<12} {ctx.tr._(level) if level else '':<6} {status}"]
    if row.exemption != Exemption.NONE.value:
        lines.append(f"      {_iso(row.exemption_date) or ''}  {row.exemption_reason}")
    for a in row.attempts:
        result = ctx.tr._(exams.RESULT_TEXT.get(a.result, a.result))
        extra = " ".join(
            text
            for text in (
                ctx.tr._(labels.label(labels.LEVEL, a.level)) if a.level else "",
                ctx.tr.number(a.score) if a.score is not None else "",
            )
            if text
        )
        lines.append(f"      {a.number}. {a.day.isoformat()}  {result:<10} {extra}".rstrip())
    return lines


def _module_lines(ctx: Context, overview: modules.ModuleOverview) -> list[str]:
    _ = ctx.tr._
    lines = []
    if overview.kind is not None:
        done = _("complete") if overview.complete else _("not complete")
        lines.append(
            _("{module}: {hours} of {needed} practical hours, {themes} of {count} done, {state}.")
            .format(module=overview.kind, hours=ctx.tr.number(overview.practical_hours),
                    needed=ctx.tr.number(overview.hours_needed), themes=overview.themes_done,
                    count=len(overview.themes), state=done)
        )  # fmt: skip
        lines += [
            f"  [{'x' if t.completed_on else ' '}] {t.item:<32} {_iso(t.completed_on) or ''}"
            .rstrip()
            for t in overview.themes
        ]  # fmt: skip
        interview = _iso(overview.final_interview) or "-"
        lines.append("  " + _("Final interview: {date}").format(date=interview))
    if overview.pvt_applies or overview.pvt_signed:
        signed = _iso(overview.pvt_signed) or "-"
        lines.append(_("Participation statement (PVT) signed: {date}").format(date=signed))
    if overview.z_route:
        lines.append(
            _("Z route: {language} of {needed} hours of language, {participation} of {needed} "
              "hours of participation.")
            .format(language=ctx.tr.number(round(overview.z_language_hours, 1)),
                    participation=ctx.tr.number(round(overview.z_participation_hours, 1)),
                    needed=ctx.tr.number(overview.z_language_needed))
        )  # fmt: skip
    return lines


def _show(ctx: Context) -> int:
    if not ctx.args.candidate:
        raise UserError(N_("Name the candidate with --candidate (id or client number)."))
    db = ctx.open()
    try:
        uid = find_candidate(db, ctx.args.candidate)
        parts = exams.exam_overview(db, uid)
        overview = modules.module_overview(db, uid, ctx.today)
    finally:
        db.close()
    data = {
        "candidate": uid,
        "parts": [_part_json(ctx, row) for row in parts],
        "module": _module_json(overview),
    }
    lines = [ctx.tr._("Exam parts")]
    for row in parts:
        lines += _part_lines(ctx, row)
    if not parts:
        lines.append("  " + ctx.tr._("No exam parts apply to this candidate."))
    ctx.emit(data, "\n".join(lines + _module_lines(ctx, overview)))
    return EXIT_OK


def _attempt(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        uid = find_candidate(db, a.candidate)
        row = exams.record_exam_attempt(
            db, candidate_uid=uid, part=a.part, day=a.date, result=a.result, score=a.score,
            level=a.level, actor=_actor(ctx), today=ctx.today, now=datetime.now(UTC),
        )  # fmt: skip
    finally:
        db.close()
    text = "\n".join([ctx.tr._("Exam attempt saved."), *_part_lines(ctx, row)])
    ctx.emit({"candidate": uid, "part": _part_json(ctx, row)}, text)
    return EXIT_OK


def _exempt(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        uid = find_candidate(db, a.candidate)
        row = exams.set_exemption(
            db, candidate_uid=uid, part=a.part, exemption=a.kind, day=a.date or ctx.today,
            reason=a.reason, actor=_actor(ctx), today=ctx.today, now=datetime.now(UTC),
        )  # fmt: skip
    finally:
        db.close()
    text = "\n".join([ctx.tr._("Exemption saved."), *_part_lines(ctx, row)])
    ctx.emit({"candidate": uid, "part": _part_json(ctx, row)}, text)
    return EXIT_OK


def _delete(ctx: Context) -> int:
    db = ctx.open()
    try:
        row = exams.delete_exam_attempt(
            db, ctx.args.attempt, actor=_actor(ctx), now=datetime.now(UTC)
        )
    finally:
        db.close()
    text = "\n".join([ctx.tr._("Exam attempt deleted."), *_part_lines(ctx, row)])
    ctx.emit({"deleted": ctx.args.attempt, "part": _part_json(ctx, row)}, text)
    return EXIT_OK


def _module(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        uid = find_candidate(db, a.candidate)
        labour = (modules.module_overview(db, uid, ctx.today).kind or "map").lower()
        if a.pvt_signed is not None:
            module, item, day = "pvt", modules.PVT_STATEMENT, a.pvt_signed
        elif a.final_interview is not None:
            module, item, day = labour, modules.FINAL_INTERVIEW, a.final_interview
        elif a.item is not None:
            pvt = a.item.strip().lower() in {"pvt", modules.PVT_STATEMENT}
            module, item, day = ("pvt" if pvt else labour), a.item, a.done
        else:
            module, item, day = labour, modules.PRACTICAL_HOURS, a.done
        common: dict[str, Any] = {
            "candidate_uid": uid, "module": a.module or module, "item": item,
            "actor": _actor(ctx), "today": ctx.today, "now": datetime.now(UTC),
        }  # fmt: skip
        if a.clear:
            overview = modules.clear_module_item(db, **common)
        else:
            overview = modules.record_module_item(
                db, hours=a.hours or 0.0, completed_on=day, note=a.note or "", total=a.total,
                **common,
            )  # fmt: skip
    finally:
        db.close()
    text = "\n".join([ctx.tr._("Module progress saved."), *_module_lines(ctx, overview)])
    ctx.emit({"candidate": uid, "module": _module_json(overview)}, text)
    return EXIT_OK


def _candidate_option(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--candidate", required=required, metavar="REF", help="id or client number")


def add_commands(command: Callable[[str, str], argparse.ArgumentParser], *_: Any) -> None:
    """Add ``kvds exams [show|attempt|exempt|delete]`` and ``kvds module``."""
    parts = [p.value for p in ExamPartKind]
    top = command("exams", "exam parts, attempts, exemptions and the MAP / ONA module")
    _candidate_option(top, required=False)
    top.set_defaults(run=_show)
    actions = top.add_subparsers(dest="action", metavar="ACTION")
    show = _json_option(actions.add_parser("show", help="the overview (the default)"))
    _candidate_option(show)
    show.set_defaults(run=_show)

    attempt = _json_option(actions.add_parser("attempt", help="record an exam attempt"))
    _candidate_option(attempt)
    attempt.add_argument("--part", required=True, metavar="PART", help=", ".join(parts))
    attempt.add_argument("--date", required=True, type=_date, metavar="DATE")
    attempt.add_argument("--result", required=True, metavar="RESULT",
                         help=" | ".join(r.value for r in ExamResult))  # fmt: skip
    attempt.add_argument("--score", type=float, metavar="N")
    attempt.add_argument("--level", metavar="LEVEL", help="level reached (language parts)")
    attempt.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    attempt.set_defaults(run=_attempt)

    exempt = _json_option(actions.add_parser("exempt", help="exempt a part, or clear it"))
    _candidate_option(exempt)
    exempt.add_argument("--part", required=True, metavar="PART", help=", ".join(parts))
    exempt.add_argument("--kind", required=True, metavar="KIND",
                        help=" | ".join(e.value for e in Exemption))  # fmt: skip
    exempt.add_argument("--date", type=_date, metavar="DATE", help="default: today")
    exempt.add_argument("--reason", default="", metavar="TEXT")
    exempt.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    exempt.set_defaults(run=_exempt)

    delete = _json_option(actions.add_parser("delete", help="delete an exam attempt"))
    delete.add_argument("--attempt", required=True, metavar="ID", help="attempt uid")
    delete.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    delete.set_defaults(run=_delete)

    module = command("module", "MAP / ONA practical hours, themes, final interview, PVT")
    _candidate_option(module)
    what = module.add_mutually_exclusive_group(required=True)
    what.add_argument("--hours", type=float, metavar="N", help="practical hours to add")
    what.add_argument("--item", metavar="NAME", help="a MAP theme or ONA result card")
    what.add_argument("--final-interview", type=_date, metavar="DATE")
    what.add_argument("--pvt-signed", type=_date, metavar="DATE")
    module.add_argument("--total", action="store_true", help="--hours is the new total")
    module.add_argument("--done", type=_date, metavar="DATE", help="default: today")
    module.add_argument("--clear", action="store_true", help="untick the item")
    module.add_argument("--note", metavar="TEXT")
    module.add_argument("--module", choices=[m.value for m in ModuleKind],
                        help="default: the candidate's MAP or ONA")  # fmt: skip
    module.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    module.set_defaults(run=_module)
