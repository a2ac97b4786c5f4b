"""The ``kvds import candidates`` and ``kvds export candidates`` commands.

Registered by :mod:`kvds_desktop.cli`; they share its Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop.errors import UserError
from kvds_desktop.exchange.candidate_export import export_candidates, export_format
from kvds_desktop.exchange.candidate_fields import load_mapping
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidate_import import (
    NO_VALID_ROW,
    ImportPreview,
    ImportResult,
    commit_import,
    preview_import,
)
from kvds_desktop.services.candidate_import.model import shown

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0


def add_commands(
    command: Callable[[str, str], argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Add ``import candidates`` and ``export candidates``; returns the export kinds."""
    kinds = []

    def kind(parent: argparse.ArgumentParser, help_text: str) -> argparse.ArgumentParser:
        what = parent.add_subparsers(dest="what", required=True, metavar="WHAT")
        kinds.append(what)
        sub = what.add_parser("candidates", help=help_text)
        sub.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help="machine-readable output on stdout",
        )
        return sub

    imp = kind(
        command("import", "read a file from the municipality's client system"),
        "import a candidate list (CSV or XLSX)",
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--mapping", metavar="FILE.toml", help="column mapping ([columns] table)")
    imp.add_argument("--sheet", metavar="NAME", help="sheet of an XLSX file (default: first)")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    imp.set_defaults(run=cmd_import_candidates)

    exp = kind(
        command("export", "write a file for the municipality"),
        "export the candidates (CSV or XLSX, by extension)",
    )
    exp.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx")
    exp.add_argument("--with-bsn", action="store_true", help="include the BSN column")
    exp.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    exp.set_defaults(run=cmd_export_candidates)
    return kinds[-1]


def cmd_import_candidates(ctx: Context) -> int:
    """Preview a candidate file; without --dry-run, import it (conflicts keep the app's value)."""
    args = ctx.args
    mapping = load_mapping(Path(args.mapping)) if args.mapping else None
    result: ImportResult | None = None
    db = ctx.open()
    try:
        preview = preview_import(
            db, Path(args.file), mapping=mapping, sheet=args.sheet, today=ctx.today
        )
        if not args.dry_run and preview.has_valid_rows:
            result = commit_import(
                db,
                preview,
                actor=args.actor or Actor.current().name,
                device=Actor.current().device,
                now=datetime.now(UTC),
                today=ctx.today,
            )
    finally:
        db.close()
    data: dict[str, Any] = {**preview.as_json(), "committed": result is not None}
    if result is not None:
        data["result"] = result.as_json()
    ctx.emit(data, _import_text(ctx, preview, result, dry_run=args.dry_run))
    if result is None and not args.dry_run:
        raise UserError(NO_VALID_ROW, source=preview.source)
    return EXIT_OK


def _import_text(
    ctx: Context, preview: ImportPreview, result: ImportResult | None, *, dry_run: bool
) -> str:
    _ = ctx.tr._
    lines = preview.summary(_)
    if preview.rejected:
        lines.append(_("Rejected rows:"))
        lines += ["  " + r.text(ctx.tr.gettext) for r in preview.rejected]
    if preview.changed:
        lines.append(_("Changes:"))
        change = _("Row {row}, {name}: {field}: {old} → {new}")
        lines += [
            "  " + change.format(row=c.row, name=c.display_name, field=f.field,
                                 old=shown(f.field, f.old) or "-", new=shown(f.field, f.new))
            for c in preview.changed
            for f in c.changes
        ]  # fmt: skip
    if preview.conflicts:
        lines.append(_("Conflicts (the value in the app is kept):"))
        conflict = _("Row {row}, {name}: {field}: app {app}, file {file}")
        lines += [
            "  " + conflict.format(row=c.row, name=c.display_name, field=c.field,
                                   app=shown(c.field, c.app_value) or "-",
                                   file=shown(c.field, c.file_value))
            for c in preview.conflicts
        ]  # fmt: skip
    if dry_run:
        lines.append(_("Dry run: nothing was written."))
    elif result is not None:
        late = [r for r in result.rejections if r not in preview.rejected]
        lines += ["  " + r.text(ctx.tr.gettext) for r in late]
        lines.append(
            _(
                "Imported: {created} new and {updated} changed candidates; "
                "{kept} conflicts kept the value in the app."
            ).format(created=result.created, updated=result.updated, kept=result.conflicts_kept_app)
        )
    return "\n".join(lines)


def cmd_export_candidates(ctx: Context) -> int:
    """Export the active candidates to a CSV or XLSX file."""
    args = ctx.args
    out = Path(args.out)
    kind = export_format(out)  # refuse a wrong extension before opening anything
    db = ctx.open()
    try:
        rows = export_candidates(
            db,
            out,
            include_bsn=args.with_bsn,
            actor=args.actor or Actor.current().name,
            device=Actor.current().device,
        )
    finally:
        db.close()
    data = {"path": str(out), "format": kind, "rows": rows, "with_bsn": bool(args.with_bsn)}
    text = ctx.tr._("{rows} candidates exported to {path}.").format(rows=rows, path=out)
    ctx.emit(data, text)
    return EXIT_OK
