"""The PostgreSQL side of the store: an engine on a server, its schema, its errors.

The tables, the migrations and every query are the same as on a SQLite file; what
differs is how a connection is made (a pool, a time-out, the server's own users), how
two instances that start at once agree on who migrates (an advisory lock), and what
the server's errors mean to a person.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from kvds_desktop.errors import (
    N_,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    DiskFull,
    StorageError,
)
from kvds_desktop.store import migrate

CONNECT_TIMEOUT_SECONDS = 10
# pg_advisory_xact_lock key: "KVDS" in ASCII, so two instances never migrate at once
_MIGRATION_LOCK = 0x4B564453


class ServerUnreachable(StorageError):
    """The database server did not answer."""


class ServerAccessDenied(StorageError):
    """The server refused the user name or password."""


class ChangedMeanwhile(StorageError):
    """Two users changed the same rows at the same moment; the server stopped one."""


def make_server_engine(url: URL) -> Engine:
    """An engine on a PostgreSQL database: a small pool whose connections are checked."""
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=6,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "KVDS Desktop",
            "options": "-c timezone=UTC",  # stored times are UTC, as in a file
        },
    )


def prepare(engine: Engine, head: str) -> str | None:
    """Bring the server's schema to ``head``; return the version found (None: empty database).

    One transaction under an advisory lock: a second instance that starts meanwhile
    waits, then finds the schema current. PostgreSQL's schema changes are transactional,
    so a failed migration leaves the database as it was.
    """
    with engine.connect() as conn:
        conn.info["kvds_unaudited"] = "migration"  # schema changes, not a person's data
        with conn.begin():
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            current = migrate.current_revision(conn)
            if current is not None and not migrate.is_known_revision(current):
                raise DatabaseTooNew(
                    N_("The database {path} was made by a newer version of KVDS Desktop. "
                       "Install that version to open it."),
                    path=shown_url(engine.url),
                )  # fmt: skip
            if current != head:
                migrate.upgrade(conn)
        return current


def shown_url(url: URL) -> str:
    """The server address as shown to people (no password)."""
    from kvds_desktop.store.location import shown

    return shown(url)


_BY_STATE: dict[str, tuple[type[StorageError], str]] = {
    "28P01": (ServerAccessDenied, N_(
        "The server {path} refused the user name or password. Check them in the address or "
        "your password file, or ask IT for access.")),
    "28000": (ServerAccessDenied, N_(
        "The server {path} does not let this user in. Ask IT to give your account access "
        "to the KVDS database.")),
    "3D000": (DatabaseMissing, N_(
        "The database named in {path} does not exist on that server. Check the name, or ask "
        "IT to create it; KVDS Desktop then makes its tables.")),
    "42501": (DatabaseReadOnly, N_(
        "Your account may not change the database {path}. Ask IT or the coordinator for "
        "write access.")),
    "53100": (DiskFull, N_(
        "The database server's disk is full. Nothing was saved of this last step; ask IT "
        "to free space, then try again.")),
    "40001": (ChangedMeanwhile, N_(
        "Someone else changed the same records at the same moment. Nothing was saved of "
        "this last step; refresh (F5) and try again.")),
    "40P01": (ChangedMeanwhile, N_(
        "Someone else changed the same records at the same moment. Nothing was saved of "
        "this last step; refresh (F5) and try again.")),
    "55P03": (DatabaseLocked, N_(
        "The records are in use by another user of {path}. Try again in a moment.")),
}  # fmt: skip
_UNREACHABLE = N_(
    "The database server {path} cannot be reached ({reason}). Check the network "
    "connection, or ask IT whether the server is running. Nothing was changed."
)


def classify_server(exc: BaseException, where: str) -> StorageError | None:
    """The storage error that a PostgreSQL failure stands for, or None when it is a bug."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    state = getattr(original, "sqlstate", None)
    if state in _BY_STATE:
        error_class, message = _BY_STATE[state]
        return error_class(message, path=where)
    if state and state.startswith(("08", "57P")):  # connection lost, server shut down
        return ServerUnreachable(_UNREACHABLE, path=where, reason=state)
    if type(original).__name__ != "OperationalError" or state is not None:
        return None
    # No session began: libpq says why in words (the server's FATAL, or the network's).
    said = str(original).strip()
    lowered = said.lower()
    for needles, code in _CONNECT_FAILURES:
        if any(needle in lowered for needle in needles):
            error_class, message = _BY_STATE[code]
            return error_class(message, path=where)
    reason = said.splitlines()[0].rsplit("failed: ", 1)[-1] if said else "?"
    return ServerUnreachable(_UNREACHABLE, path=where, reason=reason[:160])


_CONNECT_FAILURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("password authentication failed", "no password supplied"), "28P01"),
    (('role "', "no pg_hba.conf entry", "permission denied for database"), "28000"),
    (('database "',), "3D000"),
)


def align_sequences(conn: Connection) -> None:
    """Let every table's id counter continue after its highest id (PostgreSQL only).

    Rows written with their own ids (a bulk demo load, a copy from a file) leave the
    server's sequences behind; the next ordinary insert would then reuse an id.
    """
    if conn.dialect.name != "postgresql":
        return
    for table in migrate.METADATA.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].name != "id" or not key[0].autoincrement:
            continue
        sequence = conn.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar()
        if sequence is None:
            continue
        following = f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name})"
        conn.execute(
            text(f"SELECT setval(:sequence, {following}, false)"), {"sequence": sequence}
        )
