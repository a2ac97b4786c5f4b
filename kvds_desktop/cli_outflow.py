"""The work commands after the match: placements, outflow, follow-ups, consent, profile.

``kvds placements``, ``kvds placement stage``, ``kvds outflow`` (list, ``register``),
``kvds followups``, ``kvds followup``, ``kvds export outflow``, ``kvds consent``,
``kvds profile`` and ``kvds ladder``. A candidate is named by uid or client number, an
organisation by name or uid, a placement or follow-up by its uid or its first 6+
characters (the lists show 8). Registered by :mod:`kvds_desktop.cli`; the commands share
its Context and exit statuses.
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
from kvds_desktop.domain.enums import BenefitAfterOutflow, OutflowKind
from kvds_desktop.exchange.candidate_export import export_format
from kvds_desktop.exchange.files import check_target, write_bytes
from kvds_desktop.exchange.outflow_export import export_outflow
from kvds_desktop.services.audit import record_export
from kvds_desktop.services.candidates import find_candidate
from kvds_desktop.services.scheduling import find_group
from kvds_desktop.services.work import consent as cons
from kvds_desktop.services.work import outflow as out
from kvds_desktop.services.work import placements as pl
from kvds_desktop.services.work.organisations import find_organisation

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0
Adder = Callable[[str, str], argparse.ArgumentParser]


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "ja", "y", "j", "true", "1"):
        return True
    if value in ("no", "nee", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"yes or no: {text!r}")


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _placement_json(p: pl.PlacementRow) -> dict[str, Any]:
    return {
        "uid": p.uid, "candidate": p.candidate_uid, "name": p.candidate_name,
        "organisation": p.organisation, "opportunity": p.opportunity_title, "kind": p.kind,
        "stage": p.stage, "start": _iso(p.start_date), "end": _iso(p.end_date),
        "days": list(p.days), "hours_per_week": p.hours_per_week,
        "steps": [{"stage": s.stage, "date": _iso(s.day), "note": s.note, "by": s.by}
                  for s in p.steps],
    }  # fmt: skip


def _placement_line(ctx: Context, p: pl.PlacementRow) -> str:
    stage = ctx.tr._(pl.STAGE_LABELS.get(p.stage, p.stage))
    days = ",".join(str(d) for d in p.days) or "-"
    return (f"{p.uid[:8]}  {p.candidate_name:<26} {p.organisation[:30]:<30} {p.kind:<20} "
            f"{stage:<14} {p.start_date.isoformat()} {days}")  # fmt: skip


def _placements(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    db = ctx.open()
    try:
        candidate = find_candidate(db, a.candidate) if a.candidate else None
        if a.clashes:
            group = find_group(db, a.group) if a.group else None
            clashes = pl.placement_clashes(db, today=ctx.today, weeks=a.weeks, group_uid=group,
                                           candidate_uid=candidate)  # fmt: skip
        else:
            rows = pl.list_placements(db, today=ctx.today, candidate_uid=candidate,
                                      active_only=not a.all)  # fmt: skip
    finally:
        db.close()
    if not a.clashes:
        text = "\n".join(_placement_line(ctx, p) for p in rows) or tr._("No placements.")
        ctx.emit([_placement_json(p) for p in rows], text)
        return EXIT_OK
    data = [
        {"placement": c.placement_uid, "candidate": c.candidate_uid, "name": c.candidate_name,
         "organisation": c.organisation, "lesson": c.lesson_uid, "date": _iso(c.lesson_date),
         "start": c.start.strftime("%H:%M"), "end": c.end.strftime("%H:%M"),
         "group": c.group_name}
        for c in clashes
    ]  # fmt: skip
    lines = [
        f"{c.lesson_date.isoformat()} {c.start.strftime('%H:%M')} {c.group_name:<12} "
        f"{c.candidate_name:<26} {c.organisation}"
        for c in clashes
    ]
    ctx.emit(data, "\n".join(lines) or tr._("No placement clashes with a lesson."))
    return EXIT_OK


def _stage(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        row = pl.set_stage(
            db, pl.find_placement(db, a.id), stage=a.stage, day=a.day or ctx.today,
            note=a.note or "", actor=_actor(ctx), now=_now(), end_date=a.end_date,
        )  # fmt: skip
    finally:
        db.close()
    stage = ctx.tr._(pl.STAGE_LABELS.get(row.stage, row.stage))
    text = ctx.tr._("Placement {id} is now at the stage: {stage}.").format(id=row.uid[:8],
                                                                        stage=stage)  # fmt: skip
    ctx.emit(_placement_json(row), text)
    return EXIT_OK


def _follow_up_json(f: out.FollowUpRow) -> dict[str, Any]:
    return {
        "uid": f.uid, "outflow": f.outflow_uid, "candidate": f.candidate_uid,
        "name": f.candidate_name, "klantnummer": f.klantnummer, "kind": f.kind,
        "outflow_date": _iso(f.outflow_date), "employer": f.employer, "month": f.month,
        "due": _iso(f.due_date), "checked_on": _iso(f.checked_on), "still_out": f.still_out,
        "benefit": f.benefit, "note": f.note,
    }  # fmt: skip


def _outflow_json(r: out.OutflowRow) -> dict[str, Any]:
    return {
        "uid": r.uid, "candidate": r.candidate_uid, "name": r.candidate_name,
        "klantnummer": r.klantnummer, "municipality": r.municipality, "kind": r.kind,
        "date": _iso(r.day), "employer": r.employer, "function": r.function,
        "hours_per_week": r.hours_per_week, "contract": r.contract,
        "benefit_after": r.benefit_after, "note": r.note,
        "follow_ups": [_follow_up_json(f) for f in r.follow_ups],
    }  # fmt: skip


def _period(ctx: Context) -> tuple[date, date]:
    end = ctx.args.end or ctx.today
    return ctx.args.start or date(end.year, 1, 1), end


def _outflow(ctx: Context) -> int:
    tr = ctx.tr
    start, end = _period(ctx)
    db = ctx.open()
    try:
        rows = out.list_outflow(db, start=start, end=end)
        figures = out.outflow_figures(db, start=start, end=end)
    finally:
        db.close()
    data = {
        "from": _iso(start), "to": _iso(end), "outflows": [_outflow_json(r) for r in rows],
        "figures": {
            "total": figures.total, "per_kind": dict(figures.per_kind),
            "to_paid_work": figures.to_paid_work, "checked_6": figures.checked_6,
            "lasting_6": figures.lasting_6, "checked_12": figures.checked_12,
            "lasting_12": figures.lasting_12, "cbs_checked": figures.cbs_checked,
            "cbs_to_work": figures.cbs_to_work,
        },
    }  # fmt: skip
    lines = [f"{r.day.isoformat()} {r.candidate_name:<26} {r.kind:<28} {r.employer}" for r in rows]
    lines.append(tr._("{total} outflows from {start} to {end}, {work} to paid work.").format(
        total=figures.total, start=start.isoformat(), end=end.isoformat(),
        work=figures.to_paid_work))  # fmt: skip
    lines.append(tr._("Still out after 6 months: {lasting_6} of {checked_6} checked; after "
                      "12 months: {lasting_12} of {checked_12}; to work (CBS): {cbs} of "
                      "{cbs_checked}.")
                 .format(lasting_6=figures.lasting_6, checked_6=figures.checked_6,
                         lasting_12=figures.lasting_12, checked_12=figures.checked_12,
                         cbs=figures.cbs_to_work, cbs_checked=figures.cbs_checked))  # fmt: skip
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK


def _register(ctx: Context) -> int:
    a = ctx.args
    benefit = a.benefit or out.default_benefit(out.check_kind(a.kind))
    db = ctx.open()
    try:
        row = out.register_outflow(
            db, candidate_uid=find_candidate(db, a.candidate), kind=a.kind, day=a.day,
            employer=a.employer or "", function=a.function or "", hours_per_week=a.hours,
            contract=a.contract or "", benefit_after=benefit, note=a.note or "",
            actor=_actor(ctx), now=_now(), today=ctx.today,
        )  # fmt: skip
    finally:
        db.close()
    text = ctx.tr._("Outflow registered for {name}; {count} follow-ups planned.").format(
        name=row.candidate_name, count=len(row.follow_ups)
    )
    ctx.emit(_outflow_json(row), text)
    return EXIT_OK


def _follow_up_line(ctx: Context, f: out.FollowUpRow) -> str:
    late = ctx.tr._("overdue") if f.overdue(ctx.today) else ""
    return (f"{f.uid[:8]}  {f.due_date.isoformat()} {f.month:>2} {f.candidate_name:<26} "
            f"{f.employer[:30]:<30} {late}").rstrip()  # fmt: skip


def _followups(ctx: Context) -> int:
    db = ctx.open()
    try:
        rows = out.due_follow_ups(db, today=ctx.today, within_days=ctx.args.within)
    finally:
        db.close()
    data = [{**_follow_up_json(f), "overdue": f.overdue(ctx.today)} for f in rows]
    text = "\n".join(_follow_up_line(ctx, f) for f in rows) or ctx.tr._("No follow-ups due.")
    ctx.emit(data, text)
    return EXIT_OK


def _followup(ctx: Context) -> int:
    a = ctx.args
    benefit = a.benefit or (BenefitAfterOutflow.NONE if a.still_out else BenefitAfterOutflow.FULL)
    db = ctx.open()
    try:
        row = out.record_follow_up(
            db, out.find_follow_up(db, a.id), checked_on=a.day or ctx.today,
            still_out=a.still_out, benefit=benefit, note=a.note or "", actor=_actor(ctx),
            now=_now(),
        )  # fmt: skip
    finally:
        db.close()
    text = ctx.tr.ngettext(
        "Follow-up after {count} month recorded for {name}.",
        "Follow-up after {count} months recorded for {name}.",
        row.month,
    ).format(count=row.month, name=row.candidate_name)
    ctx.emit(_follow_up_json(row), text)
    return EXIT_OK


def _export(ctx: Context) -> int:
    a = ctx.args
    target = Path(a.out).expanduser()
    kind = export_format(target)
    check_target(target)
    db = ctx.open()
    try:
        rows = out.list_outflow(db, start=a.start, end=a.end)
        count = export_outflow(rows, target, language=ctx.tr.language)
        record_export(db, _actor(ctx), "outflow", str(target), count=count)
    finally:
        db.close()
    data = {"path": str(target), "format": kind, "rows": count, "from": _iso(a.start),
            "to": _iso(a.end)}  # fmt: skip
    ctx.emit(data, ctx.tr._("{count} outflows written to {path}.").format(count=count,
                                                                          path=target))  # fmt: skip
    return EXIT_OK


def _consent_json(c: cons.ConsentRow) -> dict[str, Any]:
    return {"uid": c.uid, "organisation_uid": c.organisation_uid, "organisation": c.organisation,
            "given_on": _iso(c.given_on), "withdrawn_on": _iso(c.withdrawn_on),
            "recorded_by": c.recorded_by, "note": c.note}  # fmt: skip


def _consent(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    db = ctx.open()
    try:
        candidate = find_candidate(db, a.candidate)
        if a.organisation:
            change = cons.withdraw_consent if a.withdraw else cons.give_consent
            organisation = find_organisation(db, a.organisation)
            change(db, candidate_uid=candidate, organisation_uid=organisation,
                   day=a.day or ctx.today, actor=_actor(ctx), note=a.note or "",
                   now=_now())  # fmt: skip
        rows = cons.consents(db, candidate)
    finally:
        db.close()

    def line(c: cons.ConsentRow) -> str:
        until = tr._("withdrawn on {date}").format(date=c.withdrawn_on) if c.withdrawn_on else ""
        return f"{c.organisation:<36} {c.given_on.isoformat()} {until}".rstrip()

    text = "\n".join(line(c) for c in rows) or tr._("No consent has been recorded.")
    ctx.emit({"candidate": candidate, "consents": [_consent_json(c) for c in rows]}, text)
    return EXIT_OK


def _profile(ctx: Context) -> int:
    a = ctx.args
    target = Path(a.out).expanduser()
    check_target(target)
    db = ctx.open()
    try:
        candidate = find_candidate(db, a.candidate)
        organisation = find_organisation(db, a.organisation)
        pdf = cons.shared_profile_pdf(
            db, candidate_uid=candidate, organisation_uid=organisation, tr=ctx.tr,
            today=ctx.today, now=_now(), actor=_actor(ctx),
        )  # fmt: skip
    finally:
        db.close()
    write_bytes(target, pdf)
    data = {"path": str(target), "candidate": candidate, "organisation": organisation}
    ctx.emit(data, ctx.tr._("Work profile written to {path}.").format(path=target))
    return EXIT_OK


def _ladder(ctx: Context) -> int:
    a, tr = ctx.args, ctx.tr
    db = ctx.open()
    try:
        candidate = find_candidate(db, a.candidate)
        if a.step is not None:
            out.record_ladder_step(db, candidate_uid=candidate, day=a.day or ctx.today,
                                   step=a.step, note=a.note or "", actor=_actor(ctx),
                                   now=_now())  # fmt: skip
        rows = out.ladder_history(db, candidate)
    finally:
        db.close()
    data = {"candidate": candidate, "steps": [{"uid": r.uid, "date": _iso(r.day), "step": r.step,
                                               "note": r.note} for r in rows]}  # fmt: skip
    lines = [f"{r.day.isoformat()}  {r.step}  {tr._(out.LADDER_LABELS[r.step])}" for r in rows]
    ctx.emit(data, "\n".join(lines) or tr._("No step on the participatieladder recorded."))
    return EXIT_OK


def _add_placements(command: Adder) -> None:
    show = command("placements", "placements of all or one candidate, or their clashes")
    show.add_argument("--candidate", metavar="REF", help="id or client number")
    show.add_argument("--all", action="store_true", help="ended placements too")
    show.add_argument("--clashes", action="store_true", help="lessons on a placement's days")
    show.add_argument("--weeks", type=int, default=8, metavar="N", help="clashes: weeks ahead")
    show.add_argument("--group", metavar="NAME", help="clashes: only this group's lessons")
    show.set_defaults(run=_placements)
    placement = command("placement", "move a placement through its stages")
    actions = placement.add_subparsers(dest="action", required=True, metavar="ACTION")
    stage = _json_option(actions.add_parser("stage", help="set the stage of a placement"))
    stage.add_argument("id", metavar="ID", help="placement id (its first 8 characters do)")
    stage.add_argument("--stage", required=True, choices=pl.STAGES)
    stage.add_argument("--date", dest="day", type=_date, metavar="DATE", help="default: today")
    stage.add_argument("--end-date", type=_date, metavar="DATE", help="beeindigd: default --date")
    stage.add_argument("--note", metavar="TEXT")
    stage.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    stage.set_defaults(run=_stage)


def _add_outflow(command: Adder, exports: Any) -> None:
    outflow = command("outflow", "outflow in a period with follow-up results, or register one")
    outflow.add_argument("--from", dest="start", type=_date, metavar="DATE",
                         help="default: 1 January")  # fmt: skip
    outflow.add_argument("--to", dest="end", type=_date, metavar="DATE", help="default: today")
    outflow.set_defaults(run=_outflow)
    actions = outflow.add_subparsers(dest="action", required=False, metavar="ACTION")
    reg = _json_option(actions.add_parser("register", help="register a candidate's outflow"))
    reg.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    reg.add_argument("--kind", required=True, choices=[k.value for k in OutflowKind])
    reg.add_argument("--date", dest="day", required=True, type=_date, metavar="DATE")
    reg.add_argument("--employer", metavar="NAME")
    reg.add_argument("--function", metavar="TEXT")
    reg.add_argument("--hours", type=int, metavar="N", help="hours per week")
    reg.add_argument("--contract", metavar="TEXT")
    reg.add_argument("--benefit", choices=[b.value for b in BenefitAfterOutflow])
    reg.add_argument("--note", metavar="TEXT")
    reg.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    reg.set_defaults(run=_register)
    due = command("followups", "follow-up checks overdue or due soon")
    due.add_argument("--within", type=int, default=14, metavar="N", help="days ahead (14)")
    due.set_defaults(run=_followups)
    check = command("followup", "record the result of a follow-up check")
    check.add_argument("id", metavar="ID", help="follow-up id (its first 8 characters do)")
    check.add_argument("--date", dest="day", type=_date, metavar="DATE", help="default: today")
    check.add_argument("--still-out", required=True, type=_yes_no, metavar="yes|no")
    check.add_argument("--benefit", choices=[b.value for b in BenefitAfterOutflow])
    check.add_argument("--note", metavar="TEXT")
    check.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    check.set_defaults(run=_followup)
    if exports is not None:
        export = _json_option(exports.add_parser("outflow", help="export outflow (CSV or XLSX)"))
        export.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx")
        export.add_argument("--from", dest="start", type=_date, metavar="DATE")
        export.add_argument("--to", dest="end", type=_date, metavar="DATE")
        export.set_defaults(run=_export)


def add_commands(
    command: Adder,
    exports: argparse._SubParsersAction[argparse.ArgumentParser] | None = None,
) -> None:
    """Add the placement, outflow, follow-up, consent, profile and ladder commands; with
    ``exports`` (the ``kvds export`` kind chooser) also ``export outflow``."""
    _add_placements(command)
    _add_outflow(command, exports)
    consent = command("consent", "record or withdraw consent to share the profile")
    consent.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    consent.add_argument("--organisation", metavar="NAME", help="without: list the consents")
    consent.add_argument("--withdraw", action="store_true")
    consent.add_argument("--date", dest="day", type=_date, metavar="DATE", help="default: today")
    consent.add_argument("--note", metavar="TEXT")
    consent.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    consent.set_defaults(run=_consent)
    profile = command("profile", "write the work profile shared with an organisation (PDF)")
    profile.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    profile.add_argument("--organisation", required=True, metavar="NAME")
    profile.add_argument("--out", required=True, metavar="FILE.pdf")
    profile.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    profile.set_defaults(run=_profile)
    ladder = command("ladder", "record a participatieladder step, or show the steps")
    ladder.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    ladder.add_argument("--step", type=int, choices=range(1, 7), metavar="1-6")
    ladder.add_argument("--date", dest="day", type=_date, metavar="DATE", help="default: today")
    ladder.add_argument("--note", metavar="TEXT")
    ladder.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    ladder.set_defaults(run=_ladder)
