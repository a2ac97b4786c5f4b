"""The ``kvds candidates`` commands: the Kandidaten page without a window.

A candidate is named by its id (uid) or its client number. Registered by
:mod:`kvds_desktop.cli`; the commands share its Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import date_arg as _date
from kvds_desktop.domain import labels
from kvds_desktop.domain.enums import ENDED_STATUSES, CandidateStatus
from kvds_desktop.domain.search import search
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services import candidates as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidates.validation import EDITABLE_FIELDS

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0


def _value(field: str, text: str) -> Any:
    kind = EDITABLE_FIELDS.get(field)
    if kind is None:
        raise UserError(
            N_("{field} is not a field of a candidate. Fields: {fields}."),
            field=field,
            fields=", ".join(EDITABLE_FIELDS),
        )
    if text == "":
        return None if kind in ("date", "int", "bsn", "route", "level") else ""
    if kind == "date":
        try:
            return _date(text)
        except argparse.ArgumentTypeError:
            raise UserError(N_("{value} is not a date (use jjjj-mm-dd)."), value=text) from None
    if kind == "int":
        if not text.isdigit():
            raise UserError(N_("{value} is not a whole number."), value=text)
        return int(text)
    return text


def _row_json(row: svc.CandidateRow) -> dict[str, Any]:
    return {
        "uid": row.uid,
        "name": row.name,
        "klantnummer": row.klantnummer,
        "municipality": row.municipality,
        "location": row.location,
        "group": row.group,
        "status": row.status,
        "law": row.law,
        "route": row.route,
        "klantmanager": row.klantmanager,
        "registration_date": row.registration_date,
        "deadlines": [
            {"kind": d.kind.value, "due": d.due, "days_left": d.days_left} for d in row.deadlines
        ],
    }


def _list(ctx: Context) -> int:
    db = ctx.open()
    try:
        rows = svc.candidate_rows(db, ctx.today)
    finally:
        db.close()
    status = ctx.args.status
    if status == "in-progress":
        rows = [r for r in rows if CandidateStatus(r.status) not in ENDED_STATUSES]
    elif status != "all":
        rows = [r for r in rows if r.status == status]
    if ctx.args.municipality:
        rows = [r for r in rows if r.municipality.casefold() == ctx.args.municipality.casefold()]
    if ctx.args.deadlines:
        rows = [r for r in rows if r.deadlines]
    if ctx.args.search:
        rows = [rows[i] for i, _ in search(ctx.args.search, [r.key for r in rows])]

    def line(r: svc.CandidateRow) -> str:
        status = ctx.tr._(labels.label(labels.STATUS, r.status))
        place = r.location or r.municipality
        return f"{r.klantnummer or r.uid[:8]:<10} {r.name:<32} {status:<12} {place:<8} {r.group}"

    text = "\n".join(line(r) for r in rows)
    ctx.emit([_row_json(r) for r in rows], text or ctx.tr._("No candidates."))
    return EXIT_OK


def _show(ctx: Context) -> int:
    db = ctx.open()
    try:
        detail = svc.candidate_detail(db, svc.find_candidate(db, ctx.args.ref), ctx.today)
    finally:
        db.close()
    data = {
        "uid": detail.uid,
        "name": detail.name,
        "status": detail.status,
        "bsn": detail.bsn_masked,
        "location": detail.location,
        "klantmanager": detail.klantmanager,
        "term_start": detail.term_start,
        "term_end": detail.term_end,
        **detail.values,
        "pip_versions": detail.pip_versions,
        "extensions": detail.extensions,
        "status_history": detail.status_history,
        "notes": detail.notes,
        "groups": detail.groups,
        "deadlines": [
            {"kind": d.kind.value, "due": d.due, "days_left": d.days_left} for d in detail.deadlines
        ],
    }
    lines = [
        f"{k}: {v}" for k, v in data.items() if not isinstance(v, list) and v not in (None, "")
    ]
    ctx.emit(data, "\n".join(lines))
    return EXIT_OK


def _change(ctx: Context, work: Callable[[Any, str, Actor], Any], done: str) -> int:
    db = ctx.open()
    try:
        uid = svc.find_candidate(db, ctx.args.ref) if getattr(ctx.args, "ref", None) else ""
        result = work(
            db,
            uid,
            Actor.current()
            if not ctx.args.actor
            else Actor(ctx.args.actor, Actor.current().device),
        )
    finally:
        db.close()
    ctx.emit({"uid": uid or result, "result": result}, ctx.tr._(done))
    return EXIT_OK


def _add(ctx: Context) -> int:
    a = ctx.args
    values: dict[str, Any] = {
        "voornamen": a.voornamen,
        "achternaam": a.achternaam,
        "municipality": a.municipality,
        "law": a.law,
        "registration_date": a.registered or ctx.today,
    }
    for field in ("klantnummer", "bsn", "birth_date", "route"):
        if getattr(a, field):
            values[field] = getattr(a, field)
    return _change(
        ctx,
        lambda db, _uid, actor: svc.create_candidate(db, values, actor, ctx.today),
        N_("The candidate was registered."),
    )


def _set(ctx: Context) -> int:
    changes: dict[str, Any] = {}
    for pair in ctx.args.pairs:
        field, sep, text = pair.partition("=")
        if not sep:
            raise UserError(N_("Write each change as field=value, for example phone=0612345678."))
        changes[field.strip()] = _value(field.strip(), text)
    return _change(
        ctx,
        lambda db, uid, actor: svc.update_candidate(db, uid, changes, actor, ctx.today),
        N_("Saved."),
    )


def _status(ctx: Context) -> int:
    a = ctx.args
    return _change(
        ctx,
        lambda db, uid, actor: svc.change_status(
            db, uid, a.status, a.date or ctx.today, a.reason, actor, ctx.today
        ),
        N_("The status was changed."),
    )


def _note(ctx: Context) -> int:
    return _change(
        ctx,
        lambda db, uid, actor: svc.add_note(db, uid, ctx.args.text, actor),
        N_("The note was saved."),
    )


def _pip(ctx: Context) -> int:
    a = ctx.args
    return _change(
        ctx,
        lambda db, uid, actor: svc.add_pip_version(
            db,
            uid,
            decision_date=a.date,
            route=a.route,
            target_level=a.level,
            reason=a.reason,
            actor=actor,
            today=ctx.today,
        ),
        N_("The PIP was recorded."),
    )


def _extend(ctx: Context) -> int:
    a = ctx.args
    return _change(
        ctx,
        lambda db, uid, actor: svc.extend_term(
            db, uid, months=a.months, reason=a.reason, decided_on=a.date or ctx.today, actor=actor
        ),
        N_("The term was extended."),
    )


def _reveal(ctx: Context) -> int:
    db = ctx.open()
    try:
        number = svc.reveal_bsn(db, svc.find_candidate(db, ctx.args.ref), Actor.current())
    finally:
        db.close()
    ctx.emit({"bsn": number}, number or ctx.tr._("No BSN is recorded."))
    return EXIT_OK


def _duplicates(ctx: Context) -> int:
    db = ctx.open()
    try:
        pairs = svc.find_duplicates(db)
    finally:
        db.close()
    data = [
        {
            "first": p.first_uid,
            "first_name": p.first_name,
            "second": p.second_uid,
            "second_name": p.second_name,
            "birth_date": p.birth_date,
            "reason": p.reason,
        }
        for p in pairs
    ]
    text = "\n".join(
        f"{p.first_name} ~ {p.second_name}: {ctx.tr._(p.reason)} ({p.first_uid} {p.second_uid})"
        for p in pairs
    )
    ctx.emit(data, text or ctx.tr._("No possible duplicates."))
    return EXIT_OK


def _merge(ctx: Context) -> int:
    db = ctx.open()
    try:
        keep = svc.find_candidate(db, ctx.args.keep)
        drop = svc.find_candidate(db, ctx.args.drop)
        svc.merge_candidates(db, keep, drop, Actor.current())
    finally:
        db.close()
    ctx.emit({"kept": keep, "merged": drop}, ctx.tr._("The records were merged."))
    return EXIT_OK


def add_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``kvds candidates ...`` to the parser."""
    parent = command("candidates", "list, show and change candidates")
    sub = parent.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(
        name: str, help_text: str, run: Callable[[Context], int], ref: bool = True
    ) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help="machine-readable output on stdout",
        )
        cmd.add_argument("--actor", help="name in the audit trail (default: you)")
        if ref:
            cmd.add_argument("ref", metavar="REF", help="the candidate's id or client number")
        cmd.set_defaults(run=run)
        return cmd

    lst = action("list", "the candidates, filtered and searched", _list, ref=False)
    lst.add_argument("--search", help="any part of a name or a client number")
    lst.add_argument(
        "--status",
        default="in-progress",
        choices=["in-progress", "all", *(s.value for s in CandidateStatus)],
    )
    lst.add_argument("--municipality")
    lst.add_argument("--deadlines", action="store_true", help="only those with a deadline")
    action("show", "a candidate's record (the BSN masked)", _show)
    add = action("add", "register a new candidate", _add, ref=False)
    add.add_argument("--voornamen", required=True)
    add.add_argument("--achternaam", required=True)
    add.add_argument("--municipality", required=True)
    add.add_argument("--law", default="wi2021", choices=["wi2013", "wi2021", "geen"])
    add.add_argument("--registered", type=_date, help="registration date (default: today)")
    add.add_argument("--klantnummer")
    add.add_argument("--bsn")
    add.add_argument("--birth-date", dest="birth_date", type=_date)
    add.add_argument("--route", choices=list(labels.ROUTE))
    st = action("set", "change fields: FIELD=VALUE ...", _set)
    st.add_argument("pairs", nargs="+", metavar="FIELD=VALUE")
    status = action("status", "move the candidacy to another status", _status)
    status.add_argument("status", choices=[s.value for s in CandidateStatus])
    status.add_argument("--date", type=_date, help="from (default: today)")
    status.add_argument("--reason", default="")
    note = action("note", "add a note to the log", _note)
    note.add_argument("text")
    pip = action("pip", "record a PIP version", _pip)
    pip.add_argument("--date", type=_date, required=True, help="date of the decision")
    pip.add_argument("--route", required=True, choices=list(labels.ROUTE))
    pip.add_argument("--level", choices=list(labels.LEVEL))
    pip.add_argument("--reason", default="")
    ext = action("extend", "extend the integration term", _extend)
    ext.add_argument("--months", type=int, required=True)
    ext.add_argument("--reason", required=True)
    ext.add_argument("--date", type=_date, help="decided on (default: today)")
    action("reveal-bsn", "show the full BSN (written to the audit trail)", _reveal)
    action("duplicates", "pairs of records that may be one person", _duplicates, ref=False)
    merge = action("merge", "merge the record DROP into KEEP", _merge, ref=False)
    merge.add_argument("keep", metavar="KEEP")
    merge.add_argument("drop", metavar="DROP")
