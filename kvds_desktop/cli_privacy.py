"""The ``kvds retention`` and ``kvds subject`` commands: retention runs and data-subject requests.

``kvds retention [--dry-run] [--json] [--today D]`` shows (with ``--dry-run``) or carries
out what the retention periods say is due; ``kvds subject export --candidate REF --out
FILE.json|FILE.pdf`` writes everything about one candidate; ``kvds subject erase
--candidate REF --reason TEXT --yes`` deletes it. Registered by :mod:`kvds_desktop.cli`;
the commands share its Context and exit statuses. ``kvds encrypt --new-passphrase-file F
[--delete-plain-backups]`` encrypts the database file (SQLCipher), ``kvds decrypt --out
FILE`` writes a plain copy of an encrypted one. The retention periods are the defaults
unless given with ``--months CATEGORY=N``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import actor_of, date_arg, json_option
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.sealed import read_passphrase_file
from kvds_desktop.services import maintenance
from kvds_desktop.services.privacy.erase import erase_candidate
from kvds_desktop.services.privacy.retention import (
    CATEGORIES,
    RetentionPeriods,
    apply_retention,
    plan_retention,
)
from kvds_desktop.services.privacy.subject import export_subject_file

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0
CATEGORY_LABELS = {
    "notes": N_("notes and aandachtspunten"),
    "absence_reasons": N_("absence reasons"),
    "work_profiles": N_("work profiles and consent"),
    "anonymise": N_("whole record anonymised"),
}


def _months(text: str) -> tuple[str, int]:
    name, _, number = text.partition("=")
    if name not in CATEGORIES or not number.strip().isdigit():
        raise argparse.ArgumentTypeError(
            f"not CATEGORY=MONTHS with a category of {CATEGORIES}: {text!r}"
        )
    return name, int(number)


def _retention(ctx: Context) -> int:
    a = ctx.args
    periods = RetentionPeriods.from_mapping(dict(a.months or []))
    day = a.on or ctx.today
    db = ctx.open()
    try:
        plan = plan_retention(db, periods, today=day)
        if not a.dry_run and plan.items:
            apply_retention(db, plan, actor_of(ctx), today=day)
    finally:
        db.close()
    tr = ctx.tr
    head = (
        tr._("Retention on {day}: what is due") if a.dry_run else tr._("Retention on {day}: done")
    )
    lines = [head.format(day=day.isoformat())]
    for category in CATEGORIES:
        lines.append(
            tr._("  {label} ({months} months): {count} candidates").format(
                label=tr._(CATEGORY_LABELS[category]),
                months=periods.months(category),
                count=plan.count(category),
            )
        )
    lines += [f"    {i.category}: {i.name} ({i.candidate_uid[:8]}), {i.rows}" for i in plan.items]
    ctx.emit({**plan.as_json(), "applied": not a.dry_run}, "\n".join(lines))
    return EXIT_OK


def _export(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        export = export_subject_file(
            db, a.candidate, Path(a.out), actor_of(ctx), today=ctx.today, tr=ctx.tr
        )
    finally:
        db.close()
    counts = {name: len(rows) for name, rows in export.tables.items()}
    text = ctx.tr._("Everything about {name} written to {path}: {rows} records.").format(
        name=export.name, path=a.out, rows=export.row_count()
    )
    ctx.emit({"file": str(a.out), "candidate": export.uid, "tables": counts}, text)
    return EXIT_OK


def _erase(ctx: Context) -> int:
    a = ctx.args
    if not a.yes:
        raise UserError(N_("Erasing cannot be undone: add --yes to confirm."))
    db = ctx.open()
    try:
        result = erase_candidate(db, a.candidate, actor_of(ctx), today=ctx.today, reason=a.reason)
    finally:
        db.close()
    text = ctx.tr._("Candidate erased: {rows} records deleted, {entries} audit entries cleared.")
    ctx.emit(
        {
            "deleted": result.deleted,
            "audit_entries_cleared": result.audit_cleared,
            "texts_scrubbed": result.scrubbed,
        },
        text.format(rows=result.total, entries=result.audit_cleared),
    )
    return EXIT_OK


def _encrypt(ctx: Context) -> int:
    a = ctx.args
    passphrase = read_passphrase_file(Path(a.new_passphrase_file))
    path = ctx.database_path
    db = ctx.open()  # migrated and checked before it is encrypted
    db.close()
    plain = maintenance.encrypt_database(path, passphrase, backup_folder=ctx.paths.backup_dir)
    if a.delete_plain_backups:
        for old in plain:
            old.unlink(missing_ok=True)
    data = {"path": str(path), "plain_backups": [str(p) for p in plain],
            "deleted": bool(a.delete_plain_backups)}  # fmt: skip
    text = ctx.tr._("The database {path} is now encrypted.").format(path=path)
    if plain and not a.delete_plain_backups:
        text += " " + ctx.tr.ngettext(
            "{n} older backup in {folder} is not encrypted; delete it with "
            "--delete-plain-backups.",
            "{n} older backups in {folder} are not encrypted; delete them with "
            "--delete-plain-backups.", len(plain)).format(n=len(plain),
                                                          folder=ctx.paths.backup_dir)  # fmt: skip
    ctx.emit(data, text)
    return EXIT_OK


def _decrypt(ctx: Context) -> int:
    passphrase = ctx.db_passphrase()
    if not passphrase:
        raise UserError(N_("Give the passphrase of the database with --db-passphrase-file."))
    out = maintenance.decrypt_copy(ctx.database_path, passphrase, Path(ctx.args.out))
    text = ctx.tr._("A plain copy was written to {path}. Keep it safe.").format(path=out)
    ctx.emit({"path": str(out)}, text)
    return EXIT_OK


def add_commands(command: Callable[[str, str], argparse.ArgumentParser], *_: Any) -> None:
    """Add ``kvds retention`` and ``kvds subject export|erase``."""
    retention = command("retention", "delete or anonymise what the retention periods say is due")
    retention.add_argument("--dry-run", action="store_true", help="only show what is due")
    retention.add_argument(
        "--months",
        type=_months,
        action="append",
        metavar="CATEGORY=N",
        help=f"a period other than the default ({', '.join(CATEGORIES)})",
    )
    retention.add_argument(
        "--today",
        dest="on",
        type=date_arg,
        metavar="DATE",
        help="the day the periods are counted to (default: today)",
    )
    retention.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    retention.set_defaults(run=_retention)
    subject = command("subject", "data-subject requests: export or erase one candidate")
    actions = subject.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = json_option(actions.add_parser("export", help="everything about one candidate"))
    export.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    export.add_argument("--out", required=True, metavar="FILE", help=".json or .pdf")
    export.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    export.set_defaults(run=_export)
    erase = json_option(actions.add_parser("erase", help="delete everything about one candidate"))
    erase.add_argument("--candidate", required=True, metavar="REF", help="id or client number")
    erase.add_argument("--reason", required=True, metavar="TEXT")
    erase.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    erase.add_argument("--actor", metavar="NAME", help="name in the audit trail (default: you)")
    erase.set_defaults(run=_erase)
    encrypt = command("encrypt", "encrypt the database file with a passphrase (SQLCipher)")
    encrypt.add_argument(
        "--new-passphrase-file",
        required=True,
        metavar="FILE",
        help="the passphrase to use, on the first line (8 characters or more)",
    )
    encrypt.add_argument(
        "--delete-plain-backups",
        action="store_true",
        help="delete the automatic backups made before, which are not encrypted",
    )
    encrypt.set_defaults(run=_encrypt)
    decrypt = command("decrypt", "write a plain copy of an encrypted database")
    decrypt.add_argument("--out", required=True, metavar="FILE")
    decrypt.set_defaults(run=_decrypt)
