"""The ``kvds`` command: the application's services without a window.

Every job the GUI offers exists here too. ``--json`` prints machine-readable
output on stdout. Exit status: 0 success, 1 a user error (one line on stderr in
the user's language), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from kvds_desktop import (
    __version__,
    cli_attendance,
    cli_candidates,
    cli_costs,
    cli_exams,
    cli_exchange,
    cli_kpi,
    cli_offline,
    cli_outflow,
    cli_print,
    cli_privacy,
    cli_progress,
    cli_regroup,
    cli_schedule,
    cli_store,
    cli_users,
    cli_work,
)
from kvds_desktop.config import SettingsStore, resolve_database, resolve_location
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.sealed import read_passphrase_file
from kvds_desktop.i18n import LANGUAGES, Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.services import access, maintenance
from kvds_desktop.services.demo import generate_demo
from kvds_desktop.store.backup import BackupPolicy
from kvds_desktop.store.database import Database

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


@dataclass
class Context:
    """What every subcommand gets: its arguments, where things are, how to speak."""

    args: argparse.Namespace
    paths: AppPaths
    tr: Translator
    out: TextIO
    err: TextIO
    today: date

    @property
    def location(self) -> Path | str:
        """The database this command works on: a file, or a server's address."""
        settings = SettingsStore(self.paths.settings_file).load()
        return resolve_location(self.args.db, settings, self.paths.default_database)

    @property
    def database_path(self) -> Path:
        """The database file this command works on (a server refused with a message)."""
        settings = SettingsStore(self.paths.settings_file).load()
        return resolve_database(self.args.db, settings, self.paths.default_database)

    def backup_policy(self) -> BackupPolicy:
        """The automatic backup rules from the settings."""
        settings = SettingsStore(self.paths.settings_file).load()
        return BackupPolicy(self.paths.backup_dir, settings.backups_keep, settings.daily_backup)

    def db_passphrase(self) -> str | None:
        """The passphrase of an encrypted database: --db-passphrase-file or KVDS_DB_PASSPHRASE."""
        name = getattr(self.args, "db_passphrase_file", None)
        if name:
            return read_passphrase_file(Path(name))
        return os.environ.get("KVDS_DB_PASSPHRASE") or None

    def open(self, *, create: bool = False) -> Database:
        """Open (or create) the database, migrating it if needed, as the person working."""
        db = Database.open_location(self.location, create=create,
                                    backups=self.backup_policy(),
                                    passphrase=self.db_passphrase())  # fmt: skip
        try:
            access.attach(db)  # who is working: their role and municipality hold from here
        except BaseException:
            db.close()
            raise
        return db

    def emit(self, data: Any, text: str) -> None:
        """Print ``data`` as JSON with --json, else the human text."""
        if self.args.json:
            json.dump(data, self.out, indent=2, ensure_ascii=False, default=str)
            self.out.write("\n")
        else:
            self.out.write(text + "\n")


def _cmd_init(ctx: Context) -> int:
    path = ctx.location
    if isinstance(path, Path) and path.exists() and path.stat().st_size > 0:
        raise UserError(
            N_("{path} exists already; 'init' only creates new databases."), path=str(path)
        )
    db = ctx.open(create=True)
    try:
        created = db.report.created
        data = {"path": db.where, "schema_version": db.report.schema_version, "created": created}
    finally:
        db.close()
    text = (
        ctx.tr._("Created an empty database at {path}.")
        if created
        else ctx.tr._("The database at {path} was there already; its tables are up to date.")
    )
    ctx.emit(data, text.format(path=data["path"]))
    return EXIT_OK


def _cmd_demo(ctx: Context) -> int:
    db = ctx.open(create=True)
    progress: Callable[[float, str], None] | None = None
    if not ctx.args.json and ctx.err.isatty():

        def progress(fraction: float, stage: str) -> None:
            ctx.err.write(f"\r{fraction:4.0%} {stage:<20}")
            ctx.err.flush()

    try:
        summary = generate_demo(
            db, scale=ctx.args.scale, seed=ctx.args.seed, today=ctx.today, progress=progress
        )
    finally:
        db.close()
    if progress is not None:
        ctx.err.write("\n")
    data = {
        "path": db.where,
        "scale": ctx.args.scale,
        "seed": ctx.args.seed,
        "seconds": round(summary.seconds, 2),
        "counts": summary.counts,
    }
    text = ctx.tr._("Demo data ({scale}, seed {seed}) written to {path} in {seconds} s.").format(
        scale=ctx.args.scale,
        seed=ctx.args.seed,
        path=db.where,
        seconds=ctx.tr.number(round(summary.seconds, 1)),
    )
    ctx.emit(data, text)
    return EXIT_OK


def _cmd_info(ctx: Context) -> int:
    db = ctx.open()
    try:
        result = maintenance.info(db)
    finally:
        db.close()
    lines = [
        ctx.tr._("Database: {path}").format(path=result.path),
        ctx.tr._("Schema version: {version}").format(version=result.schema_version),
        ctx.tr._("Size: {size} MB").format(size=ctx.tr.number(round(result.size_bytes / 1e6, 1))),
    ]
    width = max(len(name) for name in result.counts)
    lines += [f"  {name:<{width}}  {count:>9}" for name, count in result.counts.items()]
    ctx.emit(result.as_json(), "\n".join(lines))
    return EXIT_OK


def _cmd_backup(ctx: Context) -> int:
    db = ctx.open()
    try:
        target = maintenance.backup_to(db, Path(ctx.args.out))
    finally:
        db.close()
    ctx.emit({"backup": str(target)}, ctx.tr._("Backup written to {path}.").format(path=target))
    return EXIT_OK


def _cmd_restore(ctx: Context) -> int:
    target = ctx.database_path
    safety = maintenance.restore_from(
        Path(ctx.args.file), target, safety_folder=ctx.paths.backup_dir
    )
    db = ctx.open()  # migrates an older backup to this version's schema
    db.close()
    data = {
        "restored": str(target),
        "from": str(ctx.args.file),
        "previous_saved_as": str(safety) if safety else None,
    }
    text = ctx.tr._("Restored {source} to {path}.").format(source=ctx.args.file, path=target)
    if safety:
        text += "\n" + ctx.tr._("The replaced database was saved as {path}.").format(path=safety)
    ctx.emit(data, text)
    return EXIT_OK


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (yyyy-mm-dd): {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The command line: global options, then one subcommand."""
    parser = argparse.ArgumentParser(
        prog="kvds",
        description="KVDS Desktop without a window: the same services, for scripts and checks.",
    )
    parser.add_argument("--version", action="version", version=f"kvds {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="database file, or a shared database as postgresql+psycopg://user@server/name "
        "(default: the app's own file)",
    )
    parser.add_argument(
        "--db-passphrase-file",
        metavar="FILE",
        help="passphrase of an encrypted database (first line; or set KVDS_DB_PASSPHRASE)",
    )
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help="language of messages")
    parser.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    parser.add_argument("--today", type=_iso_date, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help="machine-readable output on stdout",
        )
        return cmd

    command("init", "create an empty, migrated database").set_defaults(run=_cmd_init)

    demo = command("demo", "fill a new database with the fictional pilot dataset")
    demo.add_argument("--scale", choices=("pilot", "large"), default="pilot")
    demo.add_argument("--seed", type=int, default=2019)
    demo.set_defaults(run=_cmd_demo)

    info = command("info", "schema version and a count per table")
    info.set_defaults(run=_cmd_info)

    backup = command("backup", "write a consistent copy of the database")
    backup.add_argument("--out", required=True, metavar="FILE")
    backup.set_defaults(run=_cmd_backup)

    restore = command("restore", "replace the database by a backup")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(run=_cmd_restore)

    exports = cli_exchange.add_commands(command)  # import candidates, export candidates
    cli_candidates.add_commands(command)  # candidates list, show, add, set, status ...
    cli_schedule.add_commands(command)  # lessons, conflicts, calendar, closures, groups ...
    attendance = cli_attendance.add_commands(command, exports)  # attendance, signals ...
    cli_offline.add_commands(command, attendance)  # pack, workbook, attendance import ...
    cli_print.add_commands(command)  # print week, print schedule
    cli_progress.add_commands(command, exports)  # assess, progress, export progress
    cli_exams.add_commands(command)  # exams, exam attempts and exemptions, modules
    cli_regroup.add_commands(command)  # regroup
    cli_work.add_commands(command)  # organisations, opportunities, match
    cli_outflow.add_commands(command, exports)  # placements, outflow, follow-ups, consent
    cli_kpi.add_commands(command, exports)  # kpi, export digest, export duo
    cli_costs.add_commands(command)  # costs, assumptions, business-case
    cli_privacy.add_commands(command)  # retention, subject export, subject erase
    cli_store.add_commands(command)  # migrate-store
    cli_users.add_commands(command)  # users list, add, change, remove
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    paths: AppPaths | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    today: date | None = None,
) -> int:
    """Run one ``kvds`` command and return its exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    paths = paths or AppPaths.default()
    language = args.lang or SettingsStore(paths.settings_file).load().language
    tr = Translator.for_language(language)
    run_date = args.today or today or datetime.now().date()
    ctx = Context(args, paths, tr, out, err, run_date)
    try:
        return int(args.run(ctx))
    except UserError as exc:
        err.write(f"kvds: {exc.render(tr.gettext)}\n")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        err.write("kvds: " + tr._("Stopped.") + "\n")
        return 130
    except BrokenPipeError:
        # The reader (``| head``) went away: the rest of the output is not wanted.
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
