"""Integer keys handed out before a bulk insert, the same way on SQLite and PostgreSQL.

A bulk insert that must know its new rows' ids (to write their children in the same
statement batch) reserves them first. On a SQLite file, one writer at a time, that is
the range after the highest id (read in the writing transaction). On a server several
users insert at once, so the ids come from the table's own sequence, which no two
transactions share.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, func, select, text


def reserve_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` new ids for ``table`` (whose key is an integer ``id``), in rising order."""
    if count <= 0:
        return []
    if conn.dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        )
        return sorted(
            int(v) for v in conn.execute(query, {"table": table.name, "n": count}).scalars()
        )
    first = int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1
    return list(range(first, first + count))
