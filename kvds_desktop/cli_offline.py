"""The commands for teachers working offline, and for taking their marks back in.

Coordinator: ``kvds pack export``, ``kvds workbook export``, ``kvds attendance import``,
``kvds attendance conflicts``, ``kvds attendance resolve``, ``kvds attendance receipts``.
Teacher (on the teacher's own database, ``--db``): ``kvds pack open`` and ``kvds marks
export``. Registered by :mod:`kvds_desktop.cli`; they share its Context and exit statuses.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from kvds_desktop.cli_options import json_option as _json_option
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.files import atomic_write
from kvds_desktop.exchange.sealed import read_passphrase_file
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.offline import merge, packs, workbook
from kvds_desktop.services.offline.intake import PACK_SUFFIX, is_workbook, read_incoming
from kvds_desktop.services.offline.week_scope import parse_week
from kvds_desktop.services.offline.workbook import UnreadableCell
from kvds_desktop.services.scheduling.lookup import find_group, find_teacher

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK, EXIT_USER_ERROR = 0, 1


class _Sealed(Protocol):
    @property
    def data(self) -> bytes: ...


_Made = TypeVar("_Made", bound=_Sealed)


def _now() -> datetime:
    return datetime.now(UTC)


def _passphrase(ctx: Context, *, required: bool) -> str | None:
    name = getattr(ctx.args, "passphrase_file", None)
    if not name:
        if required:
            raise UserError(N_("Give the passphrase in a file with --passphrase-file FILE."))
        return None
    return read_passphrase_file(Path(name))


def _write_export(out: Path, make: Callable[[], _Made]) -> _Made:
    """Run ``make`` and write its data to ``out``, whole or not at all.

    ``make`` records the export in the database, so it runs only once a temporary file
    could be created next to ``out``: an impossible ``--out`` (a folder, a folder that
    does not exist, a read-only one) records nothing.
    """
    made: list[_Made] = []

    def write(target: Path) -> None:
        result = make()
        made.append(result)
        with target.open("wb") as handle:
            handle.write(result.data)
            handle.flush()
            os.fsync(handle.fileno())

    atomic_write(out, write)
    return made[0]


def _read_file(path: Path) -> bytes:
    if not path.is_file():
        raise UserError(N_("The file {path} does not exist."), path=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(
            N_("The file {path} cannot be read: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc


# -- coordinator: sending ----------------------------------------------------------------
def _pack_export(ctx: Context) -> int:
    a = ctx.args
    passphrase = _passphrase(ctx, required=True)
    assert passphrase is not None
    out = Path(a.out)
    db = ctx.open()
    try:
        teacher_id = find_teacher(db, a.teacher) if a.teacher else None
        group_uid = find_group(db, a.group) if a.group else None
        result = _write_export(out, lambda: packs.export_pack(
            db, week=a.week, teacher_id=teacher_id, group_uid=group_uid,
            passphrase=passphrase, actor=Actor.current(), now=_now(),
        ))  # fmt: skip
    finally:
        db.close()
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
    out = Path(a.out)
    db = ctx.open()
    try:
        group_uid = find_group(db, a.group)
        result = _write_export(out, lambda: workbook.export_workbook(
            db, group_uid=group_uid, week=a.week, language=ctx.tr.language,
            actor=Actor.current(), now=_now(),
        ))  # fmt: skip
    finally:
        db.close()
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
    labels = [claim.label for claim in row.claims if claim.key != "mine"]
    for claim in row.claims:
        value = claim.status_code or "-"
        if claim.minutes:
            value += f" {claim.minutes}"
        if claim.reason:
            value += f" {claim.reason}"
        label = ctx.tr._("mine") if claim.key == "mine" else claim.label
        if claim.key != "mine" and labels.count(claim.label) > 1:
            label += f" [{claim.key}]"  # two workbooks of one teacher: what --keep takes
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
    refused: list[str] = []
    try:
        for name in a.files:
            path = Path(name)
            try:
                intake = read_incoming(path, passphrase)
                report = merge.import_incoming(
                    db, intake.incoming, actor=Actor.current(), now=_now()
                )
            except UserError as exc:
                message = exc.render(ctx.tr._)
                if passphrase is None and _sealed(path):
                    message += " " + ctx.tr._(
                        "Give the passphrase in a file with --passphrase-file FILE."
                    )
                files.append({"file": str(path), "result": "rejected", "message": message})
                refused.append(ctx.tr._("{file}: rejected, nothing written. {why}").format(
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
    # A refused file is a user error: its reason goes to stderr, the rest to stdout.
    for line in refused:
        ctx.err.write(f"kvds: {line}\n")
    if lines or ctx.args.json:
        ctx.emit({"files": files, "open_conflicts": still_open}, "\n".join(lines))
    return EXIT_USER_ERROR if refused else EXIT_OK


def _sealed(path: Path) -> bool:
    """Whether ``path`` is an existing file that would need the passphrase (a marks file)."""
    return path.is_file() and path.suffix.lower() != PACK_SUFFIX and not is_workbook(path)


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
    labels = {claim.key: claim.label for claim in row.claims}
    kept = ctx.tr._("mine") if row.kept == "mine" else labels.get(row.kept) or row.kept
    ctx.emit(
        _conflict_json(row),
        ctx.tr._("Conflict {id} resolved; kept: {kept}.").format(id=row.uid, kept=kept),
    )
    return EXIT_OK


def _receipts(ctx: Context) -> int:
    week = parse_week(ctx.args.week).key if ctx.args.week else None  # 2026w49 -> 2026-W49
    db = ctx.open()
    try:
        rows = merge.receipts(db, week=week)
    finally:
        db.close()
    text = "\n".join(_receipt_line(ctx, r) for r in rows) or ctx.tr._("No packs were sent.")
    ctx.emit([_receipt_json(r) for r in rows], text)
    return EXIT_OK


# -- teacher -----------------------------------------------------------------------------
def _pack_open(ctx: Context) -> int:
    passphrase = _passphrase(ctx, required=True)
    assert passphrase is not None
    pack = packs.open_pack(_read_file(Path(ctx.args.file)), passphrase)
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
    out = Path(ctx.args.out)
    db = ctx.open()
    try:
        result = _write_export(out, lambda: packs.export_marks(db, passphrase=passphrase,
                                                                now=_now()))  # fmt: skip
    finally:
        db.close()
    ctx.emit(
        {"file": str(out), "marks": result.mark_count, "withdrawn": result.withdrawn_count},
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
