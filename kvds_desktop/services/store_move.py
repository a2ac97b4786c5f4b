"""Move a whole database between a file and a server, and prove the copy is the same.

``kvds migrate-store --from laptop.sqlite --to postgresql+psycopg://...`` brings a
coordinator's laptop into the shared database; the other way round makes an offline
copy. Every table is copied with its own ids in one transaction on the target, then
both sides are counted and fingerprinted table by table: a copy that differs in any
row is reported, never taken for good.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as clock
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, Row, Table, and_, bindparam, func, select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from kvds_desktop.errors import N_, UserError
from kvds_desktop.store import migrate, summaries
from kvds_desktop.store.database import Database
from kvds_desktop.store.server import align_sequences

BATCH_ROWS = 2000
_MODULUS = 1 << 256


class TargetNotEmpty(UserError):
    """The target of a move already holds data."""


class CopyDiffers(UserError):
    """After the copy, a table on the target differs from the source."""


class CopyRefused(UserError):
    """The target refused a row of the source (a value the server does not accept)."""


@dataclass(frozen=True)
class TableCheck:
    """One table after the copy: rows and fingerprints on both sides."""

    name: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def same(self) -> bool:
        """Whether the target holds exactly the source's rows."""
        return (self.source_rows, self.source_checksum) == (
            self.target_rows,
            self.target_checksum,
        )


@dataclass(frozen=True)
class MoveReport:
    """What was copied where, and the check of every table."""

    source: str
    target: str
    tables: tuple[TableCheck, ...]
    seconds: float

    @property
    def rows(self) -> int:
        """Rows copied in all."""
        return sum(t.source_rows for t in self.tables)

    def as_json(self) -> dict[str, object]:
        """The report as plain JSON-ready data."""
        return {
            "from": self.source,
            "to": self.target,
            "rows": self.rows,
            "seconds": round(self.seconds, 2),
            "tables": [
                {"table": t.name, "rows": t.target_rows, "checksum": t.target_checksum,
                 "same": t.same}
                for t in self.tables
            ],
        }  # fmt: skip


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return list(migrate.METADATA.sorted_tables)


def _canonical(value: Any) -> str:
    """One value as text that is the same whichever database it came from."""
    kind = type(value)
    if kind is str:  # the common cases first: millions of values pass here
        return value
    if kind is int:
        return str(value)
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date | clock):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


class Checksum:
    """A row count and an order-free checksum, added to a batch of rows at a time."""

    def __init__(self) -> None:
        self.count = 0
        self._total = 0

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        """Take ``rows`` (every column, in the table's order) into the checksum."""
        total, count = self._total, 0
        for row in rows:
            text = "\x1f".join([_canonical(v) for v in row])
            digest = hashlib.blake2b(text.encode("utf-8"), digest_size=32).digest()
            total += int.from_bytes(digest, "big")
            count += 1
        self._total = total % _MODULUS
        self.count += count

    def result(self) -> tuple[int, str]:
        """The row count and the checksum as 64 hex digits."""
        return self.count, f"{self._total:064x}"


def fingerprint(conn: Connection, table: Table) -> tuple[int, str]:
    """The row count and an order-free checksum of ``table``'s rows (all columns)."""
    checksum = Checksum()
    result = conn.execution_options(stream_results=True).execute(select(table))
    for part in result.partitions(BATCH_ROWS):
        checksum.add(part)
    return checksum.result()


def fingerprints(db: Database) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table of ``db``."""
    with db.engine.connect() as conn:
        return _fingerprints(conn)


def _fingerprints(conn: Connection) -> dict[str, tuple[int, str]]:
    return {table.name: fingerprint(conn, table) for table in tables()}


# Made by the migrations in every new database: the copy brings the source's instead,
# so a moved database keeps its identity (teachers' packs name it).
SEEDED = frozenset({"database_info"})


def _rows_in(conn: Connection, *, seeded: bool = True) -> int:
    return sum(
        int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in tables()
        if seeded or table.name not in SEEDED
    )


def _storage_error(db: Database, exc: BaseException) -> UserError | None:
    """The message for a failure of ``db`` itself (None: a bug, or the other side's error)."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    on_server = type(original).__module__.startswith("psycopg")
    return db.classify(exc) if on_server == db.is_server else None


def _raise_for(db: Database, exc: BaseException) -> None:
    error = _storage_error(db, exc)
    if error is not None:
        raise error from exc


class _Source:
    """The source read through one connection, so its count and its rows are one snapshot.

    Its checksums are taken from the rows as they are copied. Its failures are told as
    the source's (a file that went away, a server that stopped answering), never as the
    target's.
    """

    def __init__(self, db: Database, conn: Connection) -> None:
        self.db, self.conn = db, conn

    def rows(self) -> int:
        """Rows in every table."""
        try:
            return _rows_in(self.conn)
        except DBAPIError as exc:
            _raise_for(self.db, exc)
            raise

    def batches(self, table: Table) -> Iterator[Sequence[Row[Any]]]:
        """The rows of ``table`` in batches of ``BATCH_ROWS``."""
        try:
            conn = self.conn.execution_options(stream_results=True, yield_per=BATCH_ROWS)
            result = conn.execute(select(table))
            yield from result.partitions(BATCH_ROWS)
        except DBAPIError as exc:
            _raise_for(self.db, exc)
            raise


@contextmanager
def _reading(source: Database) -> Iterator[_Source]:
    try:
        conn = source.engine.connect()
    except DBAPIError as exc:
        _raise_for(source, exc)
        raise
    try:
        if source.is_server:  # a snapshot: others may go on writing meanwhile
            conn.execution_options(isolation_level="REPEATABLE READ")
        yield _Source(source, conn)
    finally:
        conn.close()


def _self_references(table: Table) -> list[Column[Any]]:
    """Columns of ``table`` that point at rows of the same table (a merged candidate)."""
    return [fk.parent for fk in table.foreign_keys if fk.column.table is table]


class _TableCopy:
    """Copies one table and takes the checksum of the source rows it copies.

    A row that points at a row of its own table (a duplicate merged into a candidate
    made after it) is inserted without that link, which is set once every row of the
    table is in. On a server the rows go in with COPY, the fastest way in.
    """

    def __init__(self, out: Connection, table: Table, target: Database) -> None:
        self.out, self.table, self.target = out, table, target
        self.checksum = Checksum()
        self.links = _self_references(table)
        self.kept = self.links + [c for c in table.columns if c.onupdate is not None]
        self.later: list[dict[str, Any]] = []
        self.names = [c.name for c in table.columns]
        self.bulk = out.dialect.name == "postgresql"
        self.bind = [c.type.dialect_impl(out.dialect).bind_processor(out.dialect)
                     for c in table.columns]  # fmt: skip

    def insert(self, batch: Sequence[Row[Any]]) -> None:
        """Insert one batch of source rows (self-links held back)."""
        self.checksum.add(batch)
        rows = [dict(zip(self.names, row, strict=True)) for row in batch]
        if self.links:
            for number, row in enumerate(rows):
                if any(row[c.name] is not None for c in self.links):
                    self.later.append(row)
                    rows[number] = {**row, **{c.name: None for c in self.links}}
        if self.bulk:
            self._guarded(lambda: self._copy_in(rows))
        else:
            self._guarded(lambda: self.out.execute(self.table.insert(), rows))

    def _copy_in(self, rows: list[dict[str, Any]]) -> None:
        quote = self.out.dialect.identifier_preparer.quote
        columns = ", ".join(quote(name) for name in self.names)
        statement = f"COPY {quote(self.table.name)} ({columns}) FROM STDIN"
        raw: Any = self.out.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([
                    value if bind is None or value is None else bind(value)
                    for bind, value in zip(self.bind, row.values(), strict=True)
                ])  # fmt: skip

    def finish(self) -> tuple[int, str]:
        """Set the held-back self-links; the source rows' count and checksum."""
        if self.later:
            key = list(self.table.primary_key.columns)
            statement = (
                self.table.update()
                .where(and_(*(c == bindparam(f"key_{c.name}") for c in key)))
                .values({c.name: bindparam(f"new_{c.name}") for c in self.kept})
            )
            values = [
                {**{f"key_{c.name}": row[c.name] for c in key},
                 **{f"new_{c.name}": row[c.name] for c in self.kept}}
                for row in self.later
            ]  # fmt: skip
            self._guarded(lambda: self.out.execute(statement, values))
        return self.checksum.result()

    def _guarded(self, work: Callable[[], object]) -> None:
        dbapi = self.out.dialect.loaded_dbapi
        try:
            work()
        except (IntegrityError, DataError, dbapi.IntegrityError, dbapi.DataError) as exc:
            _raise_for(self.target, exc)  # a full disk, a lost connection: said as such
            original = exc.orig if isinstance(exc, DBAPIError) else exc
            said = str(original).strip()
            raise CopyRefused(
                N_("{target} refused a row of the table {table}: {reason}. Nothing was "
                   "copied. Report this to the KVDS support with this message."),
                target=self.target.where, table=self.table.name,
                reason=said.splitlines()[0][:200] if said else "?",
            ) from exc  # fmt: skip
        except dbapi.Error as exc:  # COPY speaks the driver's own errors
            _raise_for(self.target, exc)
            raise


def copy_database(
    source: Database,
    target: Database,
    *,
    progress: Callable[[float, str], None] | None = None,
) -> MoveReport:
    """Copy every row of ``source`` into the empty ``target``, then check both, table by table.

    Both are open at this version's schema. The source is read in one snapshot; the
    copy and its check are one transaction on the target: a failure, or a copy that
    differs, leaves the target empty. The month summary is copied as it is (its
    triggers wait until the end) and each server id counter is moved past the copied ids.

    Raises:
        TargetNotEmpty: the target already holds rows.
        CopyRefused: the target refused a row of the source.
        CopyDiffers: a table's count or checksum differs after the copy.
        StorageError: either database could not be read or written.
    """
    started = time.perf_counter()
    schema = tables()
    report = (lambda _f, _s: None) if progress is None else progress
    with _reading(source) as src:
        total = max(1, src.rows())
        try:
            with target.engine.begin() as out:
                out.info["kvds_unaudited"] = "copy"  # a whole database moves, audit trail and all
                held = _rows_in(out, seeded=False)
                if held:
                    raise TargetNotEmpty(
                        N_("The target {target} already holds {rows} rows. Copy only into an "
                           "empty database: create a new one, or ask IT for an empty one."),
                        target=target.where, rows=held,
                    )  # fmt: skip
                for name in SEEDED:
                    out.execute(migrate.METADATA.tables[name].delete())
                summaries.drop_triggers(out)
                done = 0
                copied: dict[str, tuple[int, str]] = {}
                for table in schema:
                    copy = _TableCopy(out, table, target)
                    for batch in src.batches(table):
                        copy.insert(batch)
                        done += len(batch)
                        report(min(done / total, 0.98), table.name)
                    copied[table.name] = copy.finish()
                summaries.create_triggers(out)
                align_sequences(out)
                report(0.99, "check")
                checks = _compare(copied, _fingerprints(out))
                differing = [c.name for c in checks if not c.same]
                if differing:  # raised inside the transaction: the copy is rolled back
                    raise CopyDiffers(
                        N_("The copy in {target} differs from {source} in the tables "
                           "{tables}. Nothing was copied; report this to the KVDS support."),
                        target=target.where, source=source.where, tables=", ".join(differing),
                    )  # fmt: skip
        except DBAPIError as exc:
            error = _storage_error(target, exc)
            if error is None:
                raise
            raise error from exc
    report(1.0, "done")
    return MoveReport(source.where, target.where, checks, time.perf_counter() - started)


def _compare(
    mine: dict[str, tuple[int, str]], theirs: dict[str, tuple[int, str]]
) -> tuple[TableCheck, ...]:
    return tuple(
        TableCheck(t.name, mine[t.name][0], theirs[t.name][0], mine[t.name][1], theirs[t.name][1])
        for t in tables()
    )
