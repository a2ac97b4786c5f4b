"""The one module that owns the database engine.

It checks a file before SQLite touches it, sets the PRAGMAs on every connection,
migrates the schema (after a backup), refuses files it must not change, and turns
SQLite's errors into messages a person can act on. A PostgreSQL server is the other
place a database can be (:meth:`Database.connect`, with :mod:`.server`): the same
tables, migrations and queries.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from kvds_desktop.errors import (
    N_,
    DatabaseEncrypted,
    DatabaseGone,
    DatabaseMissing,
    DatabaseReadOnly,
    NotADatabase,
    UserError,
)
from kvds_desktop.store import cipher, fileinfo, migrate, server
from kvds_desktop.store.backup import BackupPolicy, Backups
from kvds_desktop.store.classify import classify
from kvds_desktop.store.fileinfo import SQLITE_HEADER, inspect_file
from kvds_desktop.store.location import is_server, server_url
from kvds_desktop.store.lock import WriterLock


@dataclass(frozen=True)
class OpenReport:
    """What happened while opening: useful for the status bar and the CLI."""

    created: bool
    migrated_from: str | None
    schema_version: str
    backup: Path | None
    backup_problem: UserError | None = None  # the daily backup failed; the file is fine


def check_file(path: Path, *, create: bool, encrypted: bool = False) -> None:
    """Refuse a path that cannot be a usable database before SQLite creates or changes it.

    ``encrypted``: a passphrase was given, so the file need not start like plain SQLite.
    """
    if not path.exists():
        if not create:
            raise DatabaseMissing(
                N_(
                    "There is no database at {path}. Check the path, or create a new "
                    "database with 'kvds --db {path} init'."
                ),
                path=str(path),
            )
        folder = path.parent
        if folder.exists() and not os.access(folder, os.W_OK):
            raise DatabaseReadOnly(
                N_("A database cannot be created in {folder}: the folder is read-only."),
                folder=str(folder),
            )
        return
    if path.is_dir():
        raise NotADatabase(N_("{path} is a folder, not a database file."), path=str(path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseReadOnly(
            N_("The file {path} cannot be read: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc
    if header and header != SQLITE_HEADER and not encrypted:
        raise DatabaseEncrypted(
            N_("The file {path} is not a KVDS database, or it is an encrypted one. Give its "
               "passphrase, or choose another file."),
            path=str(path),
        )  # fmt: skip
    if not _writable(path) or not os.access(path.parent, os.W_OK):
        raise DatabaseReadOnly(
            N_(
                "The database {path} cannot be written: the file or its folder is read-only. "
                "Copy it to a folder you can write to, or ask your administrator for access."
            ),
            path=str(path),
        )


def _writable(path: Path) -> bool:
    """Whether the file may be written: its read-only attribute is honoured even for root."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & stat.S_IWUSR)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the sqlite3 module, decides where transactions begin (see
    # _begin), so that schema changes are transactional too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def make_engine(path: Path, passphrase: str | None = None) -> Engine:
    """An engine on one SQLite file with the PRAGMAs set on every connection.

    With ``passphrase`` the file is an SQLCipher database: every connection opens it with
    the key (and a new file is made encrypted).
    """
    if passphrase:
        checks: list[Callable[[], None]] = []

        def connect() -> Any:
            for check in checks:
                check()
            return cipher.connect(path, passphrase, create=True)

        engine = create_engine("sqlite://", module=cipher.DBAPI, creator=connect,
                               poolclass=NullPool)  # fmt: skip
        engine.kvds_checks = checks  # type: ignore[attr-defined]
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"timeout": fileinfo.BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            poolclass=NullPool,
        )
    event.listen(engine, "connect", _set_sqlite_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


# Execution option of a unit of work that will write: on a file it takes SQLite's write
# lock at BEGIN (waiting for another writer), so what it reads is what that one committed.
WRITE_AT_BEGIN = "kvds_write_at_begin"


def _begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(WRITE_AT_BEGIN, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _identity(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def guard_identity(engine: Engine, path: Path) -> None:
    """Refuse every new connection once ``path`` is gone or another file took its place.

    SQLite would otherwise create an empty file where the database was, or write into a
    file copied over it. Every unit of work opens a connection (no pool), so the check
    runs before each one; the message says what happened and where the backups are.
    """
    expected = _identity(path)

    def check(*_args: Any) -> None:
        try:
            found = _identity(path)
        except FileNotFoundError:
            raise DatabaseGone(
                N_("The database file {path} was removed while KVDS Desktop had it open. "
                   "Nothing was written. Restore the latest backup (File > Restore a "
                   "backup) or open the file where it is now (File > Open database)."),
                path=str(path),
            ) from None  # fmt: skip
        except OSError:
            return  # unreadable now: SQLite's own error will say so
        if found != expected:
            raise DatabaseGone(
                N_("The database file {path} was replaced by another file while KVDS "
                   "Desktop had it open. Nothing was written to it. Open it again (File > "
                   "Open database) to work in the file that is there now."),
                path=str(path),
            )  # fmt: skip

    checks = getattr(engine, "kvds_checks", None)
    if checks is not None:  # an encrypted engine makes its own connections
        checks.append(check)
    else:
        event.listen(engine, "do_connect", check)


def run_migrations(engine: Engine) -> None:
    """Migrate in one transaction with foreign keys paused, as SQLite advises for schema changes.

    The foreign keys are checked before the commit; a violation rolls everything back.
    """
    with engine.connect() as conn:
        conn.info["kvds_unaudited"] = "migration"  # schema changes, not a person's data
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                migrate.upgrade(conn)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


@contextmanager
def _disposed_on_failure(
    engine: Engine, describe: Callable[[DBAPIError], UserError | None]
) -> Iterator[None]:
    """Opening failed: let go of ``engine``; a storage failure becomes its message."""
    try:
        yield
    except DBAPIError as exc:
        engine.dispose()
        error = describe(exc)
        if error is None:
            raise
        raise error from exc
    except BaseException:
        engine.dispose()
        raise


class Database:
    """An open, migrated database: a file (:meth:`open`) or a server (:meth:`connect`)."""

    def __init__(
        self, path: Path | None, engine: Engine, report: OpenReport, url: URL | None = None
    ) -> None:
        self.path = path  # None on a server
        self.url = url  # None for a file
        self.engine = engine
        self.report = report
        self.lock: WriterLock | None = None
        self.encrypted = False
        # Who is working and the rules their sessions follow (kvds_desktop.services.access).
        self.access: Any = None
        self.session_hooks: list[Callable[[Session], None]] = []

    @property
    def is_server(self) -> bool:
        """Whether this database lives on a PostgreSQL server (shared by several users)."""
        return self.url is not None

    @property
    def where(self) -> str:
        """Where the database is, as people see it: the file's path or the server's address."""
        return server.shown_url(self.url) if self.url is not None else str(self.path)

    def classify(self, exc: BaseException) -> UserError | None:
        """The message a storage failure stands for here, or None when it is a bug."""
        if self.url is not None:
            return server.classify_server(exc, self.where)
        return classify(exc, self.where)

    @classmethod
    def open_location(cls, location: str | Path, **options: Any) -> Database:
        """Open a file path or connect to a ``postgresql+psycopg://`` URL, whichever it is."""
        if is_server(str(location)):
            return cls.connect(str(location), create=options.get("create", False))
        return cls.open(Path(location), **options)

    @classmethod
    def connect(cls, url_text: str | URL, *, create: bool = False) -> Database:
        """Connect to a PostgreSQL database and bring its schema to this version.

        The database itself must exist (IT makes it); its tables are made on first use.
        ``create`` is accepted for symmetry with :meth:`open` and changes nothing.

        Raises:
            StorageError: the server cannot be reached, refuses the user, lacks the
                database, or holds a schema of a newer version. Nothing is changed then.
        """
        del create
        url = url_text if isinstance(url_text, URL) else server_url(url_text)
        engine = server.make_server_engine(url)
        where = server.shown_url(url)
        head = migrate.head_revision()
        with _disposed_on_failure(engine, lambda exc: server.classify_server(exc, where)):
            current = server.prepare(engine, head)
        report = OpenReport(
            created=current is None,
            migrated_from=current if current not in (None, head) else None,
            schema_version=head,
            backup=None,
        )
        return cls(None, engine, report, url=url)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        create: bool = False,
        backups: BackupPolicy | None = None,
        now: Callable[[], datetime] = datetime.now,
        exclusive: bool = False,
        passphrase: str | None = None,
    ) -> Database:
        """Open (and if asked create) a database, migrating it to this version's schema.

        ``exclusive`` (the desktop application): hold the writer lock while open, so a
        second instance is told the database is in use. ``passphrase``: the file is (or
        is made) an encrypted SQLCipher database.

        Raises:
            StorageError: the file is missing, not a database, read-only, locked,
                corrupt, too new, in use by another instance, or the disk is full.
                The file is then unchanged.
        """
        path = Path(path).expanduser().resolve()
        existed = path.exists() and path.stat().st_size > 0
        check_file(path, create=create, encrypted=bool(passphrase))
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        lock = WriterLock(path) if exclusive else None
        if lock is not None:
            lock.acquire(now())
        try:
            # Refuse before SQLite writes a byte (switching to WAL alone changes the header).
            current = None
            if existed:
                current = (
                    fileinfo.check_revision(path, cipher.schema_revision(path, passphrase))
                    if passphrase
                    else inspect_file(path)
                )
            engine = make_engine(path, passphrase)
            with _disposed_on_failure(engine, lambda exc: classify(exc, path)):
                report = cls._prepare(engine, path, current, backups, now)
                guard_identity(engine, path)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        database = cls(path, engine, report)
        database.lock = lock
        database.encrypted = bool(passphrase)
        return database

    # A database that is a file on this computer by nature (a teacher's week pack): the
    # same as open(); the name says it never moves to a server, and the test suite's
    # PostgreSQL pass, which redirects open(), leaves it a file.
    open_local = open

    @staticmethod
    def _prepare(
        engine: Engine,
        path: Path,
        current: str | None,
        backups: BackupPolicy | None,
        now: Callable[[], datetime],
    ) -> OpenReport:
        head = migrate.head_revision()
        backup_file: Path | None = None
        if current != head:
            if current is not None and backups is not None:
                backup_file = Backups(backups).create(
                    engine, path, reason="pre-migration", at=now()
                )
            run_migrations(engine)
        elif backups is not None and backups.daily:
            try:
                backup_file = Backups(backups).daily(engine, path, at=now())
            except UserError as exc:  # the database itself is fine: open it, and say so
                return OpenReport(False, None, head, None, backup_problem=exc)
        return OpenReport(
            created=current is None,
            migrated_from=current if current != head else None,
            schema_version=head,
            backup=backup_file,
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed at the end, rolled back on error.

        Storage errors (locked, full disk, read-only) become :class:`StorageError`;
        objects are expunged on commit so nothing live leaks to the caller.
        """
        session = Session(self.engine, expire_on_commit=False)
        for hook in self.session_hooks:
            hook(session)
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            error = self.classify(exc)
            if error is None:
                raise
            raise error from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def schema_version(self) -> str:
        """The schema version stored in the file."""
        with self.engine.connect() as conn:
            return migrate.current_revision(conn) or ""

    def journal_mode(self) -> str:
        """The journal mode in force (WAL for a local file; a server keeps its own)."""
        if self.is_server:
            return "server"
        with self.engine.connect() as conn:
            return str(conn.execute(text("PRAGMA journal_mode")).scalar_one())

    def close(self) -> None:
        """Release the file (checkpointing the WAL so the .sqlite file is complete)."""
        if self.is_server:
            self.engine.dispose()
            return
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except (DBAPIError, DatabaseGone):
            pass
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
