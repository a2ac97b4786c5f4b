"""Encryption at rest: the database file encrypted with SQLCipher (AES-256, PBKDF2 key).

Optional, chosen when a database is made or later (File > Encrypt the database, ``kvds
encrypt``). The whole file, its write-ahead log and every backup made of it are
encrypted; without the passphrase the file is random bytes. The binding is
``sqlcipher3`` (package ``sqlcipher3-wheels``, with wheels for Windows and Linux), which
behaves as Python's own ``sqlite3``.

An encrypted file does not start with SQLite's header, so a file that does not is either
encrypted or not a database at all; only the passphrase tells, and a wrong passphrase and
a stranger's file give the same answer.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import sqlcipher3

from kvds_desktop.errors import N_, UserError, WrongDatabasePassphrase
from kvds_desktop.store.fileinfo import BUSY_TIMEOUT_SECONDS, SQLITE_HEADER

DBAPI = sqlcipher3.dbapi2


def looks_encrypted(path: Path) -> bool:
    """Whether ``path`` is a non-empty file that does not start with SQLite's header."""
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(header) and header != SQLITE_HEADER


def _quote(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def connect(path: Path, passphrase: str, *, create: bool = False) -> Any:
    """A connection to the encrypted database at ``path``, its key checked.

    Raises:
        WrongDatabasePassphrase: the passphrase does not open the file (or it is no database).
    """
    if not passphrase:
        raise UserError(N_("Give the passphrase of the database."))
    mode = "rwc" if create else "rw"
    conn = DBAPI.connect(f"{Path(path).resolve().as_uri()}?mode={mode}", uri=True,
                         timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)  # fmt: skip
    with contextlib.suppress(DBAPI.Error):
        conn.execute("PRAGMA cipher_log_level = NONE")  # no hmac noise on stderr
    try:
        conn.execute(f"PRAGMA key = {_quote(passphrase)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DBAPI.DatabaseError as exc:
        conn.close()
        raise WrongDatabasePassphrase(
            N_("The passphrase does not open {path}, or the file is not a KVDS database. "
               "Check the passphrase (capitals count) and try again."),
            path=str(path),
        ) from exc  # fmt: skip
    return conn


def schema_revision(path: Path, passphrase: str) -> str | None:
    """The schema version stored in an encrypted file (None: no KVDS schema yet)."""
    conn = connect(path, passphrase)
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in names:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def export_into(source: Any, target: Path, passphrase: str | None) -> None:
    """Write everything of the open connection ``source`` into a new file ``target``.

    ``passphrase`` None: the new file gets the source's own key (a backup of an
    encrypted database stays encrypted); "": the new file is plain SQLite; otherwise the
    new file is encrypted with ``passphrase``.
    """
    key = "" if passphrase is None else f" KEY {_quote(passphrase)}"
    source.execute(f"ATTACH DATABASE {_quote(str(target))} AS kvds_export{key}")
    try:
        source.execute("SELECT sqlcipher_export('kvds_export')").fetchone()
    finally:
        source.execute("DETACH DATABASE kvds_export")


def encrypt_file(plain: Path, target: Path, passphrase: str) -> None:
    """Write an encrypted copy of the plain database ``plain`` to ``target``."""
    if len(passphrase) < 8:
        raise UserError(N_("Choose a passphrase of at least 8 characters."))
    conn = DBAPI.connect(f"{Path(plain).resolve().as_uri()}?mode=ro", uri=True)
    try:
        _fresh(target)
        export_into(conn, target, passphrase)
    finally:
        conn.close()


def decrypt_file(encrypted: Path, passphrase: str, target: Path) -> None:
    """Write a plain copy of the encrypted database to ``target``."""
    conn = connect(encrypted, passphrase)
    try:
        _fresh(target)
        export_into(conn, target, "")
    finally:
        conn.close()


def is_encrypted_connection(conn: Any) -> bool:
    """Whether ``conn`` is a SQLCipher connection (backups of it must stay encrypted)."""
    return isinstance(conn, DBAPI.Connection)


def _fresh(target: Path) -> None:
    for name in (str(target), f"{target}-wal", f"{target}-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(name)
