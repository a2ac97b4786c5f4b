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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as clock
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.exc import DBAPIError

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


def fingerprint(conn: Connection, table: Table) -> tuple[int, str]:
    """The row count and an order-free checksum of ``table``'s rows (all columns)."""
    total = 0
    count = 0
    result = conn.execution_options(stream_results=True).execute(select(table))
    for row in result:
        text = "\x1f".join(_canonical(v) for v in row)
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=32).digest()
        total = (total + int.from_bytes(digest, "big")) % _MODULUS
        count += 1
    return count, f"{total:064x}"


def fingerprints(db: Database) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table of ``db``."""
    with db.engine.connect() as conn:
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


def _batches(conn: Connection, table: Table) -> Iterable[list[dict[str, Any]]]:
    result = conn.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
        select(table)
    )
    for part in result.partitions(BATCH_ROWS):
        yield [dict(row._mapping) for row in part]


def copy_database(
    source: Database,
    target: Database,
    *,
    progress: Callable[[float, str], None] | None = None,
) -> MoveReport:
    """Copy every row of ``source`` into the empty ``target``, then check both, table by table.

    Both are open at this version's schema. The copy is one transaction on the target:
    a failure leaves it empty. The month summary is copied as it is (its triggers wait
    until the end) and each server id counter is moved past the copied ids.

    Raises:
        TargetNotEmpty: the target already holds rows.
        CopyDiffers: a table's count or checksum differs after the copy.
        StorageError: either database could not be read or written.
    """
    started = time.perf_counter()
    schema = tables()
    with source.engine.connect() as src:
        total = max(1, _rows_in(src))
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
            with source.engine.connect() as src:
                for table in schema:
                    for batch in _batches(src, table):
                        out.execute(table.insert(), batch)
                        done += len(batch)
                        if progress is not None:
                            progress(min(done / total, 0.99), table.name)
            summaries.create_triggers(out)
            align_sequences(out)
    except DBAPIError as exc:
        error = target.classify(exc) or source.classify(exc)
        if error is None:
            raise
        raise error from exc
    mine, theirs = fingerprints(source), fingerprints(target)
    checks = tuple(
        TableCheck(t.name, mine[t.name][0], theirs[t.name][0], mine[t.name][1], theirs[t.name][1])
        for t in schema
    )
    differing = [c.name for c in checks if not c.same]
    if differing:
        raise CopyDiffers(
            N_("The copy in {target} differs from {source} in the tables {tables}. Do not "
               "use the copy; report this to the KVDS support."),
            target=target.where, source=source.where, tables=", ".join(differing),
        )  # fmt: skip
    if progress is not None:
        progress(1.0, "done")
    return MoveReport(source.where, target.where, checks, time.perf_counter() - started)
