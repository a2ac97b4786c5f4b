"""The ``kvds migrate-store`` command: a whole database moved between a file and a server.

``kvds migrate-store --from laptop.sqlite --to postgresql+psycopg://anna@db/kvds`` brings a
coordinator's laptop into the shared database; ``--from postgresql+psycopg://... --to
offline.sqlite`` makes an offline copy in a new file. Both ends are a file path or a
server address. The source must exist; a file target is made new (or is an empty KVDS
database), a server target is an empty database IT made. The copy is checked by counts
and checksums per table (:mod:`kvds_desktop.services.store_move`); a failed copy leaves
the target as it was. ``--db-passphrase-file`` opens an encrypted source file.
Registered by :mod:`kvds_desktop.cli`; the command shares its Context and exit statuses.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvds_desktop.errors import N_, NotADatabase, UserError
from kvds_desktop.services.store_move import MoveReport, copy_database
from kvds_desktop.store.database import Database
from kvds_desktop.store.location import is_server, server_url, shown

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0
CHECKSUM_SHOWN = 16  # hex digits of a checksum in the table; --json gives all 64


def add_commands(command: Callable[[str, str], Any]) -> None:
    """Register ``migrate-store`` with the ``kvds`` parser."""
    move = command(
        "migrate-store",
        "copy a whole database between a file and a server, checked table by table",
    )
    move.add_argument("--from", dest="source", required=True, metavar="FILE|URL",
                      help="the database to copy: a file or a postgresql:// URL")  # fmt: skip
    move.add_argument("--to", dest="target", required=True, metavar="FILE|URL",
                      help="a new file, or an empty database on a server")  # fmt: skip
    move.set_defaults(run=_migrate_store)


def _checked_location(text: str) -> str:
    """``text`` as given, after refusing an address of another kind of database."""
    if "://" in text or is_server(text):
        server_url(text)  # raises BadDatabaseUrl before anything is opened or made
    return text


def _same_place(source: str, target: str) -> bool:
    if is_server(source) or is_server(target):
        return is_server(source) and is_server(target) and server_url(source) == server_url(target)
    return Path(source).expanduser().resolve() == Path(target).expanduser().resolve()


def _open_source(ctx: Context, location: str) -> Database:
    """The source, opened as it is: never created (a file missing or empty is refused)."""
    if is_server(location):
        db = Database.connect(location)
    else:
        path = Path(location).expanduser()
        if path.is_file() and path.stat().st_size == 0:
            raise NotADatabase(
                N_("The file {path} is empty: it holds no database to copy. Check the path."),
                path=str(path),
            )
        policy = replace(ctx.backup_policy(), daily=False)  # a backup only before migrating
        db = Database.open(path, backups=policy, passphrase=ctx.db_passphrase())
    if db.report.created:  # a server database without KVDS tables until a moment ago
        db.close()
        raise UserError(
            N_("{source} holds no KVDS database yet, so there is nothing to copy. Check the "
               "address."),
            source=db.where,  # a server's address without its password
        )  # fmt: skip
    return db


class _Target:
    """The target, opened or made; a file made here is removed again if the copy fails."""

    def __init__(self, location: str) -> None:
        self.made: Path | None = None
        self.was_empty_file = False
        if is_server(location):
            self.db = Database.connect(location)
            return
        path = Path(location).expanduser().resolve()
        exists = path.exists()
        self.was_empty_file = exists and path.is_file() and path.stat().st_size == 0
        fresh = not exists or self.was_empty_file
        self.db = Database.open(path, create=fresh)
        if fresh:
            self.made = path

    def undo(self) -> None:
        """Close the target; a file this command made goes back to how it was."""
        self.db.close()
        if self.made is None:
            return
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(self.made) + suffix).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            if self.was_empty_file:
                self.made.write_bytes(b"")
            else:
                self.made.unlink(missing_ok=True)


def _migrate_store(ctx: Context) -> int:
    a = ctx.args
    source_text, target_text = _checked_location(a.source), _checked_location(a.target)
    if _same_place(source_text, target_text):
        raise UserError(
            N_("--from and --to name the same database ({place}). Give another target."),
            place=shown(server_url(target_text)) if is_server(target_text) else target_text,
        )
    progress: Callable[[float, str], None] | None = None
    if not ctx.args.json and ctx.err.isatty():

        def progress(fraction: float, stage: str) -> None:
            ctx.err.write(f"\r{fraction:4.0%} {stage:<24}")
            ctx.err.flush()

    source = _open_source(ctx, source_text)
    try:
        target = _Target(target_text)
        try:
            report = copy_database(source, target.db, progress=progress)
        except BaseException:
            target.undo()
            raise
        target.db.close()
    finally:
        source.close()
        if progress is not None:
            ctx.err.write("\n")
    ctx.emit(report.as_json(), _text(ctx, report))
    return EXIT_OK


def _text(ctx: Context, report: MoveReport) -> str:
    tr = ctx.tr
    lines = [
        tr._("Copied {rows} rows from {source} to {target} in {seconds} s.").format(
            rows=report.rows, source=report.source, target=report.target,
            seconds=tr.number(round(report.seconds, 1)),
        ),
    ]  # fmt: skip
    heads = (tr._("table"), tr._("rows"), tr._("checksum"), tr._("same"))
    width = max([len(heads[0])] + [len(t.name) for t in report.tables])
    lines.append(f"  {heads[0]:<{width}}  {heads[1]:>9}  {heads[2]:<{CHECKSUM_SHOWN}}  {heads[3]}")
    for t in report.tables:
        same = tr._("yes") if t.same else tr._("no")
        shown = t.target_checksum[:CHECKSUM_SHOWN]
        lines.append(f"  {t.name:<{width}}  {t.target_rows:>9}  {shown}  {same}")
    lines.append(tr._("Every table holds the same rows on both sides."))
    return "\n".join(lines)
