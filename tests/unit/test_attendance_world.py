"""A small attendance world on fixed dates, shared by the attendance tests, and its checks.

One group in Druten (Mondays 09:00-11:30 NT2 in a room, Wednesdays 13:00-15:00 a
participation activity online) with three members, lessons from September to November
2026, the default statuses and a klantmanager.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from kvds_desktop.services import attendance as att
from kvds_desktop.services import scheduling as svc
from kvds_desktop.store.models import ActivityKind, Klantmanager
from tests.unit.scheduling_world import ACTOR, World

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
FIRST = date(2026, 9, 7)  # a Monday
MON_1, MON_2 = date(2026, 9, 7), date(2026, 9, 14)
WED_1 = date(2026, 9, 9)


@dataclass
class AttendanceWorld:
    """The scheduling World plus a group with lessons and three members."""

    world: World
    group: str
    people: dict[str, str]  # first name -> candidate uid
    manager_id: int

    @property
    def db(self):  # type: ignore[no-untyped-def]
        return self.world.db

    def lesson(self, day: date) -> str:
        """The uid of the group's lesson on ``day``."""
        rows = [r for r in self.world.lessons(day, day) if r.group_uid == self.group]
        assert len(rows) == 1, rows
        return rows[0].uid

    def mark(self, day: date, who: str, code: str, **extra: object) -> att.MarkChange:
        """Set a mark through the service."""
        return att.set_mark(
            self.db, lesson_uid=self.lesson(day), candidate_uid=self.people[who],
            status_code=code, actor=ACTOR, now=NOW, **extra,  # type: ignore[arg-type]
        )  # fmt: skip


def build(folder: Path) -> AttendanceWorld:
    """Create the world in a new database under ``folder``."""
    world = World.create(folder)
    db = world.db
    with Session(db.engine) as session:
        kind = ActivityKind(code="PART", name_nl="Participatie", name_en="Participation",
                            category="participatie")  # fmt: skip
        manager = Klantmanager(name="Hanneke Dijkstra", email="h.dijkstra@example.org",
                               municipality="Druten")  # fmt: skip
        session.add(kind)
        session.add(manager)
        session.commit()
        assert kind.id is not None and manager.id is not None
        world.kinds["PART"] = kind.id
        manager_id = manager.id
    for code, nl, en, present, late, excused, reason, minutes, teacher in att.DEFAULT_STATUSES[1:]:
        att.save_status(
            db, id=None, code=code, label_nl=nl, label_en=en, counts_present=present,
            counts_late=late, excused=excused, needs_reason=reason, needs_minutes=minutes,
            teacher_may_use=teacher, active=True, actor=ACTOR,
        )  # fmt: skip
    group = world.group("DRU-A1", start=FIRST)
    world.slot(group, 1, time(9, 0), time(11, 30), kind="NT2", valid_from=FIRST)
    world.slot(group, 3, time(13, 0), time(15, 0), kind="PART", online=True, room=None,
               valid_from=FIRST)  # fmt: skip
    world.generate(FIRST, date(2026, 11, 30), today=date(2026, 8, 1))
    people = {}
    for first, last, number in (("Amal", "Haddad", "D001"), ("Bilal", "Nasser", "D002"),
                                ("Chaya", "Berhane", "D003")):  # fmt: skip
        uid = world.candidate(first, last, number)
        svc.add_member(db, group, uid, FIRST, ACTOR)
        people[first] = uid
    with db.session() as session:
        session.connection().execute(
            text("UPDATE candidate SET klantmanager_id = :m, bsn = '123456782'"),
            {"m": manager_id},
        )
    return AttendanceWorld(world, group, people, manager_id)


@pytest.fixture
def aw(tmp_path: Path) -> Iterator[AttendanceWorld]:
    built = build(tmp_path)
    yield built
    built.world.close()


def test_the_world_has_the_default_statuses_in_order(aw: AttendanceWorld) -> None:
    codes = [s.code for s in att.list_statuses(aw.db)]
    assert codes == ["A", "L", "E", "M", "Z", "O"]
    assert att.ensure_default_statuses(aw.db, ACTOR) == 0


def test_lessons_for_day_lists_the_group_lesson(aw: AttendanceWorld) -> None:
    rows = att.lessons_for_day(aw.db, MON_1)
    assert [r.uid for r in rows] == [aw.lesson(MON_1)]
    assert att.lessons_for_day(aw.db, MON_1, location="druten")
    assert att.lessons_for_day(aw.db, MON_1, location="Wijchen") == []
