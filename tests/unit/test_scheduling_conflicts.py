"""Conflicts: flagged while a slot is edited, and found in the generated lessons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest

from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.demo import generate_demo
from kvds_desktop.services.scheduling import ConflictKind
from kvds_desktop.store.database import Database
from tests.unit.scheduling_world import ACTOR, GROUP_START, TODAY, World

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = World.create(tmp_path)
    yield built
    built.close()


@pytest.fixture(scope="module")
def pilot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database.open(tmp_path_factory.mktemp("pilot") / "pilot.sqlite", create=True)
    generate_demo(db, scale="pilot", seed=2019, today=TODAY)
    yield db
    db.close()


def _found(world: World, travel_minutes: int = 30) -> list[svc.Conflict]:
    return svc.find_conflicts(
        world.db, start=DECEMBER[0], end=DECEMBER[1], travel_minutes=travel_minutes
    )


def _preview(world: World, group: str, **fields: object) -> list[svc.Conflict]:
    values: dict[str, object] = {
        "weekday": 1, "start": time(10, 0), "end": time(12, 0),
        "activity_kind_id": world.kinds["NT2"], "teacher_id": world.teachers["Anna"],
        "room_id": world.rooms["Lokaal 2"], "online": False, "valid_from": GROUP_START,
        "valid_to": None,
    }  # fmt: skip
    values.update(fields)
    return svc.slot_conflicts_preview(world.db, group_uid=group, today=TODAY, **values)  # type: ignore[arg-type]


def test_a_slot_that_double_books_a_teacher_is_flagged_at_once_and_after_generation(
    world: World,
) -> None:
    first, second = world.group("DRU-A1"), world.group("DRU-A2")
    world.slot(first, 1)  # Anna, Monday 9:00-11:30 in Lokaal 1
    found = _preview(world, second)
    assert [c.kind for c in found] == [ConflictKind.TEACHER_DOUBLE]
    conflict = found[0]
    assert conflict.lesson_date == date(2026, 11, 30)  # the first Monday after today
    assert conflict.render(str) == (
        "Anna would teach DRU-A2 and DRU-A1 at the same time, from 2026-11-30 on."
    )
    assert conflict.slot_uids == (svc.list_slots(world.db, group_uid=first)[0].uid,)
    assert _preview(world, second, teacher_id=world.teachers["Bram"]) == []
    assert _preview(world, second, weekday=2) == []
    assert _preview(world, second, valid_from=date(2026, 1, 5), valid_to=date(2026, 8, 30)) == []

    world.slot(second, 1, time(10), time(12), room="Lokaal 2")
    world.generate(*DECEMBER)
    found = _found(world)
    assert {c.kind for c in found} == {ConflictKind.TEACHER_DOUBLE}
    assert len(found) == 4  # every Monday of December
    assert found[0].params["teacher"] == "Anna" and len(found[0].lesson_uids) == 2


def test_a_room_booked_twice(world: World) -> None:
    first, second = world.group("DRU-A1"), world.group("DRU-A2")
    world.slot(first, 2)
    found = _preview(world, second, weekday=2, teacher_id=world.teachers["Bram"],
                     room_id=world.rooms["Lokaal 1"])  # fmt: skip
    assert [c.kind for c in found] == [ConflictKind.ROOM_DOUBLE]
    assert found[0].params["room"] == "Lokaal 1"
    online = _preview(world, second, weekday=2, teacher_id=world.teachers["Bram"],
                      room_id=world.rooms["Lokaal 1"], online=True)  # fmt: skip
    assert online == []
    world.slot(second, 2, time(11), time(12), teacher="Bram")
    world.generate(*DECEMBER)
    assert {c.kind for c in _found(world)} == {ConflictKind.ROOM_DOUBLE}


def test_a_candidate_in_two_groups_at_once_counts_only_while_both_memberships_hold(
    world: World,
) -> None:
    language, training = world.group("DRU-A1"), world.group("DRU-Training")
    world.slot(language, 4)  # Thursday 9:00-11:30
    world.slot(training, 4, time(11), time(12), teacher="Bram", room="Lokaal 2")
    amal = world.candidate("Amal", "Haddad")
    svc.add_member(world.db, language, amal, date(2026, 9, 1), ACTOR)
    svc.add_member(world.db, training, amal, date(2026, 12, 1), ACTOR)
    svc.end_member(world.db, training, amal, date(2026, 12, 17), ACTOR)
    world.generate(*DECEMBER)
    found = _found(world)
    assert [c.lesson_date for c in found] == [
        date(2026, 12, 3),
        date(2026, 12, 10),
        date(2026, 12, 17),
    ]
    assert {c.kind for c in found} == {ConflictKind.CANDIDATE_DOUBLE}
    assert found[0].params["names"] == "Amal Haddad"
    assert found[0].render(str) == (
        "Candidates in both DRU-A1 and DRU-Training have two lessons at once on 2026-12-03 "
        "(11:00–11:30): Amal Haddad."
    )
    preview = _preview(world, training, weekday=4, start=time(11), end=time(12),
                       teacher_id=world.teachers["Bram"], room_id=None,
                       uid=svc.list_slots(world.db, group_uid=training)[0].uid)  # fmt: skip
    assert [c.kind for c in preview] == [ConflictKind.CANDIDATE_DOUBLE]
    assert preview[0].lesson_date == date(2026, 12, 3)


def test_a_teacher_needs_travel_time_between_druten_and_wijchen(world: World) -> None:
    druten, wijchen = world.group("DRU-A1"), world.group("WIJ-A1", "Wijchen")
    world.slot(druten, 5)  # Anna in Druten until 11:30
    preview = _preview(world, wijchen, weekday=5, start=time(11, 45), end=time(13),
                       room_id=world.rooms["Lokaal A"])  # fmt: skip
    assert [c.kind for c in preview] == [ConflictKind.TRAVEL]
    world.slot(wijchen, 5, time(11, 45), time(13), room="Lokaal A")
    world.generate(*DECEMBER)
    found = _found(world)
    assert {c.kind for c in found} == {ConflictKind.TRAVEL}
    assert found[0].render(str) == (
        "Anna teaches in Druten until 11:30 and in Wijchen from 11:45 on 2026-12-04: less "
        "than 30 minutes to travel."
    )
    assert _found(world, travel_minutes=15) == []


def test_a_lesson_on_a_closure_day_and_a_teacher_outside_their_hours(world: World) -> None:
    group = world.group("DRU-A1")
    slot = world.slot(group, 3, teacher="Dirk")  # Dirk works on Monday and Tuesday only
    assert [
        c.kind
        for c in _preview(world, group, weekday=3, teacher_id=world.teachers["Dirk"], uid=slot)
    ] == [ConflictKind.TEACHER_UNAVAILABLE]
    assert _preview(world, group, weekday=2, start=time(9), end=time(11),
                    teacher_id=world.teachers["Dirk"]) == []  # fmt: skip
    world.slot(group, 2, time(16), time(18), teacher="Anna", room="Lokaal 2")  # after 17:00
    world.generate(*DECEMBER)
    svc.add_closure(world.db, date_from=date(2026, 12, 16), date_to=date(2026, 12, 16),
                    name="Studiedag", kind="eigen", actor=ACTOR)  # fmt: skip
    found = _found(world)
    closure = [c for c in found if c.kind == ConflictKind.CLOSURE]
    assert [c.lesson_date for c in closure] == [date(2026, 12, 16)]
    assert closure[0].params["closure"] == "Studiedag"
    unavailable = [c for c in found if c.kind == ConflictKind.TEACHER_UNAVAILABLE]
    assert len(unavailable) == 10  # five Wednesdays for Dirk, five late Tuesdays for Anna
    assert {c.params["teacher"] for c in unavailable} == {"Anna", "Dirk"}


def test_cancelled_lessons_never_conflict(world: World) -> None:
    first, second = world.group("DRU-A1"), world.group("DRU-A2")
    world.slot(first, 1)
    world.slot(second, 1, room="Lokaal 2")
    world.generate(*DECEMBER)
    lessons = [r for r in world.lessons(*DECEMBER) if r.group_name == "DRU-A2"]
    for lesson in lessons:
        svc.cancel_lesson(world.db, lesson.uid, "docent ziek", ACTOR)
    assert _found(world) == []


def test_the_pilot_timetable_has_no_conflicts_in_the_coming_weeks(pilot: Database) -> None:
    assert svc.find_conflicts(pilot, start=TODAY, end=date(2027, 1, 23)) == []
