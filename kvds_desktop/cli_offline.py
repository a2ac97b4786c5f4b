"""The commands for teachers working offline, and for taking their marks back in.

Coordinator: ``kvds pack export``, ``kvds workbook export``, ``kvds attendance import``,
``kvds attendance conflicts``, ``kvds attendance resolve``, ``kvds attendance receipts``.
Teacher (on the teacher's own database, ``--db``): ``kvds pack open`` and ``kvds marks
export``. Registered by :mod:`kvds_desktop.cli`; they share its Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.files import write_bytes
from kvds_desktop.exchange.sealed import read_passphrase_file
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline import merge, packs, workbook
from kvds_desktop.services.offline.intake import read_incoming
from kvds_desktop.services.offline.workbook import UnreadableCell
from kvds_desktop.services.scheduling.lookup import find_group, find_teacher

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK, EXIT_USER_ERROR = 0, 1


def _json_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable output on stdout",
    )
    return parser


def _now() -> datetime:
    return datetime.now(UTC)


def _passphrase(ctx: Context, *, required: bool) -> str | None:
    name = getattr(ctx.args, "passphrase_file", None)
    if not name:
        if required:
            raise UserError(N_("Give the passphrase in a file with --passphrase-file FILE."))
        return None
    return read_passphrase_file(Path(name))


# -- coordinator: sending ----------------------------------------------------------------
def _pack_export(ctx: Context) -> int:
    a = ctx.args
    passphrase = _passphrase(ctx, required=True)
    assert passphrase is not None
    db = ctx.open()
    try:
        teacher_id = find_teacher(db, a.teacher) if a.teacher else None
        group_uid = find_group(db, a.group) if a.group else None
        result = packs.export_pack(
            db, week=a.week, teacher_id=teacher_id, group_uid=group_uid,
            passphrase=passphrase, actor=Actor.current(), now=_now(),
        )  # fmt: skip
    finally:
        db.close()
    out = Path(a.out)
    write_bytes(out, result.data)
    data = {
        "pack": result.pack_uid, "file": str(out), "teacher": result.teacher_name,
        "groups": list(result.group_names), "lessons": result.lesson_count,
        "candidates": result.candidate_count,
    }  # fmt: skip
    text = ctx.tr._(
        "Week pack written to {path}: {lessons} lessons, {candidates} candidates. Give the "
        "teacher the passphrase by another way than the file."
    ).format(path=out, lessons=result.lesson_count, candidates=result.candidate_count)
    ctx.emit(data, text)
    return EXIT_OK


def _workbook_export(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        result = workbook.export_workbook(
            db, group_uid=find_group(db, a.group), week=a.week, language=ctx.tr.language,
            actor=Actor.current(), now=_now(),
        )  # fmt: skip
    finally:
        db.close()
    out = Path(a.out)
    write_bytes(out, result.data)
    ctx.emit(
        {"workbook": result.pack_uid, "file": str(out)},
        ctx.tr._("Teacher workbook written to {path}.").format(path=out),
    )
    return EXIT_OK


# -- coordinator: receiving --------------------------------------------------------------
def _claim_json(claim: merge.ClaimRow) -> dict[str, Any]:
    return {
        "key": claim.key, "label": claim.label, "status": claim.status_code,
        "reason": claim.reason, "minutes": claim.minutes, "note": claim.note,
        "revision": claim.revision, "file": claim.file_name,
    }  # fmt: skip


def _conflict_json(row: merge.ConflictRow) -> dict[str, Any]:
    return {
        "id": row.uid, "state": row.state, "lesson": row.lesson_uid,
        "date": row.lesson_date.isoformat(), "start": row.start.strftime("%H:%M"),
        "group": row.group_name, "candidate": row.candidate_uid, "name": row.candidate_name,
        "current": row.current.status_code if row.current else None,
        "claims": [_claim_json(c) for c in row.claims], "kept": row.kept or None,
    }  # fmt: skip


def _receipt_json(row: merge.ReceiptRow) -> dict[str, Any]:
    return {
        "pack": row.pack_uid, "kind": row.kind, "teacher": row.teacher_name,
        "groups": row.group_names, "week": row.week, "expected": row.expected,
        "received": row.received,
        "missing": [
            {"lesson": m.lesson_uid, "date": m.lesson_date.isoformat(), "group": m.group_name}
            for m in row.missing
        ],
    }  # fmt: skip


def _claims_text(ctx: Context, row: merge.ConflictRow) -> str:
    parts = []
    for claim in row.claims:
        value = claim.status_code or "-"
        if claim.minutes:
            value += f" {claim.minutes}"
        if claim.reason:
            value += f" {claim.reason}"
        label = ctx.tr._("mine") if claim.key == "mine" else claim.label
        parts.append(f"{label}: {value}")
    return "; ".join(parts)


def _conflict_line(ctx: Context, row: merge.ConflictRow) -> str:
    return (
        f"{row.uid}  {ctx.tr.date(row.lesson_date)} {row.start:%H:%M}  {row.group_name}  "
        f"{row.candidate_name}  -  {_claims_text(ctx, row)}"
    )


def _receipt_line(ctx: Context, row: merge.ReceiptRow) -> str:
    who = row.teacher_name or row.group_names
    line = ctx.tr._("{who}, {week}: {received} of {expected} lessons received").format(
        who=who, week=row.week, received=row.received, expected=row.expected
    )
    if row.missing:
        missing = ", ".join(
            f"{ctx.tr.date(m.lesson_date)} {m.start:%H:%M} {m.group_name}" for m in row.missing
        )
        line += "; " + ctx.tr._("not received yet: {lessons}").format(lessons=missing)
    return line


def _report_lines(ctx: Context, report: merge.ImportReport) -> list[str]:
    tr = ctx.tr
    lines = [
        tr._(
            "{file} ({source}): {imported} new marks, {changed} marks changed, {unchanged} "
            "unchanged, {conflicts} conflicts, {unknown} unknown, {rejected} rejected."
        ).format(
            file=report.file_name, source=report.source_label, imported=report.imported,
            changed=report.changed_marks, unchanged=report.unchanged,
            conflicts=len(report.conflicts), unknown=len(report.unknown),
            rejected=len(report.rejected),
        )
    ]  # fmt: skip
    for unknown in report.unknown:
        lines.append("  " + tr._("unknown: {why}").format(why=unknown.render(tr)))
    for rejected in report.rejected:
        lines.append("  " + tr._("rejected: {why}").format(why=rejected.render(tr)))
    for row in report.conflicts:
        lines.append("  " + tr._("conflict: {line}").format(line=_conflict_line(ctx, row)))
    if report.receipt is not None:
        lines.append("  " + _receipt_line(ctx, report.receipt))
    return lines


def _import(ctx: Context) -> int:
    a = ctx.args
    passphrase = _passphrase(ctx, required=False)
    db = ctx.open()
    files: list[dict[str, Any]] = []
    lines: list[str] = []
    failed = False
    try:
        for name in a.files:
            path = Path(name)
            try:
                intake = read_incoming(path, passphrase)
                report = merge.import_incoming(
                    db, intake.incoming, actor=Actor.current(), now=_now()
                )
            except UserError as exc:
                failed = True
                message = exc.render(ctx.tr._)
                files.append({"file": str(path), "result": "rejected", "message": message})
                lines.append(ctx.tr._("{file}: rejected, nothing written. {why}").format(
                    file=path.name, why=message))  # fmt: skip
                continue
            unreadable = [_unreadable_text(ctx, cell) for cell in intake.unreadable]
            files.append({**_import_json(ctx, path, report), "unreadable": unreadable})
            lines.extend(_report_lines(ctx, report))
            lines.extend("  " + ctx.tr._("not understood: {cell}").format(cell=text)
                         for text in unreadable)  # fmt: skip
        still_open = len(merge.list_conflicts(db))
    finally:
        db.close()
    if still_open:
        lines.append(
            ctx.tr.ngettext(
                "{n} conflict waits for a decision: kvds attendance conflicts",
                "{n} conflicts wait for a decision: kvds attendance conflicts",
                still_open,
            ).format(n=still_open)
        )
    ctx.emit({"files": files, "open_conflicts": still_open}, "\n".join(lines))
    return EXIT_USER_ERROR if failed else EXIT_OK


def _unreadable_text(ctx: Context, cell: UnreadableCell) -> str:
    return ctx.tr._("{name}, {lesson}: {text!r}").format(
        name=cell.row_name, lesson=cell.lesson_header, text=cell.text
    )


def _import_json(ctx: Context, path: Path, report: merge.ImportReport) -> dict[str, Any]:
    return {
        "file": str(path), "result": "imported", "source": report.source_label,
        "imported": report.imported, "changed": report.changed_marks,
        "unchanged": report.unchanged,
        "conflicts": [_conflict_json(c) for c in report.conflicts],
        "unknown": [u.render(ctx.tr) for u in report.unknown],
        "rejected": [r.render(ctx.tr) for r in report.rejected],
        "receipt": _receipt_json(report.receipt) if report.receipt else None,
    }  # fmt: skip


def _conflicts(ctx: Context) -> int:
    db = ctx.open()
    try:
        rows = merge.list_conflicts(db, state=None if ctx.args.all else "open")
    finally:
        db.close()
    text = "\n".join(_conflict_line(ctx, r) for r in rows) or ctx.tr._("No conflicts.")
    ctx.emit([_conflict_json(r) for r in rows], text)
    return EXIT_OK


def _resolve(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        row = merge.resolve_conflict(db, a.id, keep=a.keep, actor=Actor.current(), now=_now())
    finally:
        db.close()
    kept = ctx.tr._("mine") if row.kept == "mine" else row.kept
    ctx.emit(
        _conflict_json(row),
        ctx.tr._("Conflict {id} resolved; kept: {kept}.").format(id=row.uid, kept=kept),
    )
    return EXIT_OK


def _receipts(ctx: Context) -> int:
    db = ctx.open()
    try:
        rows = merge.receipts(db, week=ctx.args.week)
    finally:
        db.close()
    text = "\n".join(_receipt_line(ctx, r) for r in rows) or ctx.tr._("No packs were sent.")
    ctx.emit([_receipt_json(r) for r in rows], text)
    return EXIT_OK


# -- teacher -----------------------------------------------------------------------------
def _pack_open(ctx: Context) -> int:
    passphrase = _passphrase(ctx, required=True)
    assert passphrase is not None
    pack = packs.open_pack(Path(ctx.args.file).read_bytes(), passphrase)
    db = packs.teacher_database(pack, ctx.database_path)
    try:
        info = packs.teacher_info(db)
    finally:
        db.close()
    assert info is not None
    ctx.emit(
        {"database": str(ctx.database_path), "pack": info.pack_uid, "week": info.week},
        ctx.tr._("The week pack of {teacher}, {week}, is ready in {path}.").format(
            teacher=info.teacher_name, week=info.week, path=ctx.database_path
        ),
    )
    return EXIT_OK


def _marks_export(ctx: Context) -> int:
    passphrase = _passphrase(ctx, required=True)
    assert passphrase is not None
    db = ctx.open()
    try:
        result = packs.export_marks(db, passphrase=passphrase, now=_now())
    finally:
        db.close()
    out = Path(ctx.args.out)
    write_bytes(out, result.data)
    ctx.emit(
        {"file": str(out), "marks": result.mark_count},
        ctx.tr._("{count} marks written to {path}; send this file to the coordinator.").format(
            count=result.mark_count, path=out
        ),
    )
    return EXIT_OK


def add_commands(
    command: Callable[[str, str], argparse.ArgumentParser],
    attendance: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add the offline commands; ``attendance`` is the ``kvds attendance`` action chooser."""
    pack = command("pack", "week packs for teachers working offline")
    pack_actions = pack.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = _json_option(pack_actions.add_parser("export", help="write a sealed week pack"))
    who = export.add_mutually_exclusive_group(required=True)
    who.add_argument("--teacher", metavar="NAME")
    who.add_argument("--group", metavar="NAME")
    export.add_argument("--week", required=True, metavar="YYYY-Www", help="e.g. 2026-W49")
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument("--passphrase-file", required=True, metavar="FILE")
    export.set_defaults(run=_pack_export)
    opened = _json_option(
        pack_actions.add_parser("open", help="teacher: make --db the database of a pack")
    )
    opened.add_argument("file", metavar="PACK")
    opened.add_argument("--passphrase-file", required=True, metavar="FILE")
    opened.set_defaults(run=_pack_open)

    marks = command("marks", "teacher: the marks file of a pack's database")
    marks_actions = marks.add_subparsers(dest="action", required=True, metavar="ACTION")
    marks_export = _json_option(marks_actions.add_parser("export", help="write the marks file"))
    marks_export.add_argument("--out", required=True, metavar="FILE")
    marks_export.add_argument("--passphrase-file", required=True, metavar="FILE")
    marks_export.set_defaults(run=_marks_export)

    book = command("workbook", "Excel attendance workbooks for teachers without the app")
    book_actions = book.add_subparsers(dest="action", required=True, metavar="ACTION")
    book_export = _json_option(book_actions.add_parser("export", help="write a workbook"))
    book_export.add_argument("--group", required=True, metavar="NAME")
    book_export.add_argument("--week", required=True, metavar="YYYY-Www")
    book_export.add_argument("--out", required=True, metavar="FILE.xlsx")
    book_export.set_defaults(run=_workbook_export)

    intake = _json_option(
        attendance.add_parser("import", help="take in marks files and filled-in workbooks")
    )
    intake.add_argument("files", nargs="+", metavar="FILE")
    intake.add_argument("--passphrase-file", metavar="FILE", help="for marks files")
    intake.set_defaults(run=_import)
    conflicts = _json_option(
        attendance.add_parser("conflicts", help="marks on which the sources disagree")
    )
    conflicts.add_argument("--all", action="store_true", help="resolved ones too")
    conflicts.set_defaults(run=_conflicts)
    resolve = _json_option(attendance.add_parser("resolve", help="keep one side of a conflict"))
    resolve.add_argument("id", metavar="ID")
    resolve.add_argument(
        "--keep", required=True, metavar="mine|theirs|SOURCE", help="whose mark to keep"
    )
    resolve.set_defaults(run=_resolve)
    receipts = _json_option(
        attendance.add_parser("receipts", help="lessons expected versus received per pack")
    )
    receipts.add_argument("--week", metavar="YYYY-Www")
    receipts.set_defaults(run=_receipts)


__all__ = ["add_commands"]
