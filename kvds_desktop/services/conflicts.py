"""Two people editing one record: a stale edit is caught and explained, never applied.

The records a coordinator edits in a form (candidate, group, organisation, opportunity)
carry a ``version`` that every change bumps. A form keeps the version it loaded and
hands it back on save as ``expected_version``; :class:`EditGuard` compares it with the
stored one and, when someone else saved in between, raises :class:`EditConflict`: who
changed the record and when (from the newest audit entry), and each field where their
value differs from what the user loaded, with theirs and yours.

The check also holds in a race, when the other save lands between the check and the
write: the UPDATE says ``WHERE version = the one read``, so it finds no row
(``StaleDataError`` from the ORM or :func:`versioned_update`), and on SQLite the write
of a transaction that read an older snapshot is refused as locked; both end in the same
:class:`EditConflict`. The user then chooses: keep mine, on top of theirs (save again
with ``expected_version`` = :attr:`EditConflict.version`), or take theirs (reload).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm.exc import StaleDataError

from kvds_desktop.errors import N_, DatabaseLocked, UserError
from kvds_desktop.store.database import Database


@dataclass(frozen=True)
class FieldDifference:
    """A field the other person changed: what is stored now, and what this user has."""

    field: str
    theirs: Any
    yours: Any
    you_changed: bool  # the user typed a new value here too (else theirs simply stays)


class EditConflict(UserError):
    """Someone else saved the record after this user loaded it.

    ``version`` is the version stored now: saving again with it as the expected
    version puts this user's changes on top of theirs.
    """

    def __init__(
        self,
        *,
        table: str,
        uid: str,
        version: int,
        who: str,
        device: str,
        when: datetime | None,
        differences: tuple[FieldDifference, ...],
    ) -> None:
        if who and when is not None:
            super().__init__(
                N_(
                    "{who} changed this record on {when}, after you opened it. Keep your "
                    "changes, take theirs, or go back to editing."
                ),
                who=who,
                when=when_text(when),
            )
        else:
            super().__init__(
                N_(
                    "Someone else changed this record after you opened it. Keep your "
                    "changes, take theirs, or go back to editing."
                )
            )
        self.table, self.uid, self.version = table, uid, version
        self.who, self.device, self.when = who, device, when
        self.differences = differences


def when_text(moment: datetime) -> str:
    """A moment as the user reads it: local time, ``dd-mm-yyyy hh:mm``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%d-%m-%Y %H:%M")


def _same(a: Any, b: Any) -> bool:
    """Equal, counting an empty text and no value as the same."""
    return (a if a not in ("", None) else None) == (b if b not in ("", None) else None)


class EditGuard:
    """One save of a versioned record, checked against the version the user loaded.

    ``expected`` None means no check (a one-shot command loads and saves at once); a
    race is still caught. ``loaded`` are the values the user saw, ``yours`` what
    they are saving (only the fields they changed).
    """

    def __init__(
        self,
        db: Database,
        table: Table,
        uid: str,
        *,
        expected: int | None,
        loaded: Mapping[str, Any] | None = None,
        yours: Mapping[str, Any] | None = None,
    ) -> None:
        self.db, self.table, self.uid, self.expected = db, table, uid, expected
        self.loaded = dict(loaded or {})
        self.yours = dict(yours or {})
        self.seen: int | None = None  # the version read in the saving transaction

    def check(self, conn: Connection, version: int) -> None:
        """Note the stored ``version`` read in the transaction; raise if it is not the expected.

        Raises:
            EditConflict: someone else saved since the user loaded the record.
        """
        self.seen = version
        if self.expected is not None and version != self.expected:
            raise self.conflict(conn)

    def conflict(self, conn: Connection) -> UserError:
        """The conflict as ``conn`` sees the record now: who, when and which fields.

        A record that is gone altogether gives a plain UserError saying so.
        """
        t = self.table
        row = conn.execute(select(t).where(t.c.uid == self.uid)).mappings().first()
        if row is None:
            return _gone()
        audit = t.metadata.tables["audit_entry"]
        last = conn.execute(
            select(audit.c.actor, audit.c.device, audit.c.at)
            .where(audit.c.table_name == t.name, audit.c.record_uid == self.uid)
            .order_by(audit.c.at.desc(), audit.c.id.desc())
            .limit(1)
        ).first()
        differences = tuple(
            FieldDifference(
                field,
                row[field],
                self.yours.get(field, before),
                field in self.yours and not _same(self.yours[field], before),
            )
            for field, before in self.loaded.items()
            if field in row and not _same(row[field], before)
        )
        return EditConflict(
            table=t.name,
            uid=self.uid,
            version=int(row["version"]),
            who=str(last.actor) if last is not None else "",
            device=str(last.device) if last is not None else "",
            when=last.at if last is not None else None,
            differences=differences,
        )

    def _fresh_conflict(self) -> UserError:
        with self.db.engine.connect() as conn:
            return self.conflict(conn)

    def _moved(self) -> bool:
        t = self.table
        with self.db.engine.connect() as conn:
            now = conn.execute(select(t.c.version).where(t.c.uid == self.uid)).scalar()
        return now != self.seen

    @contextmanager
    def saving(self) -> Iterator[EditGuard]:
        """Wrap the whole transaction: a write that lost a race becomes an EditConflict.

        Raises:
            EditConflict: the UPDATE found a newer version than the one read, or (SQLite)
                the write was refused because another save committed after the read.
        """
        try:
            yield self
        except StaleDataError as exc:
            raise self._fresh_conflict() from exc
        except DatabaseLocked as exc:
            if self.seen is None or not self._moved():
                raise
            raise self._fresh_conflict() from exc


def _gone() -> UserError:
    return UserError(N_("This record no longer exists; someone else removed it. Refresh the list."))


def versioned_update(conn: Connection, guard: EditGuard, values: Mapping[str, Any]) -> int:
    """UPDATE the guarded row with ``values`` only if it still has the version read; bump it.

    Returns the new version. Raises ``StaleDataError`` (turned into
    :class:`EditConflict` by :meth:`EditGuard.saving`) when another save got there first.
    """
    t = guard.table
    if guard.seen is None:
        raise ValueError("EditGuard.check was not called before the update")
    result = conn.execute(
        t.update()
        .where(t.c.uid == guard.uid, t.c.version == guard.seen)
        .values(**values, version=guard.seen + 1)
    )
    if result.rowcount != 1:
        raise StaleDataError(f"{t.name} {guard.uid} changed after version {guard.seen}")
    return guard.seen + 1
