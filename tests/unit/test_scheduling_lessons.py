"""Lessons from the timetable: holidays, regeneration, and changes to a single lesson."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from kvds_desktop.errors import UserError
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.scheduling import GenerationReport
from tests.unit.scheduling_world import ACTOR, GROUP_START, TODAY, World

DEC_7 = date(2026, 12, 7)  # a Monday after TODAY


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = World.create(tmp_path)
    yield built
    built.close()


def _by_date(world: World, start: date, end: date) -> dict[date, svc.LessonRow]:
    return {row.lesson_date: row for row in world.lessons(start, end)}


def _resave(world: World, slot: str, group: str, **changes: object) -> None:
    values: dict[str, object] = {
        "weekday": 1, "start": time(9, 0), "end": time(11, 30),
        "activity_kind_id": world.kinds["NT2"], "teacher_id": world.teachers["Anna"],
        "room_id": world.rooms["Lokaal 1"], "online": False, "valid_from": GROUP_START,
        "valid_to": None,
    }  # fmt: skip
    values.update(changes)
    svc.save_slot(world.db, uid=slot, group_uid=group, actor=ACTOR, **values)  # type: ignore[arg-type]


def test_no_lesson_falls_on_a_dutch_public_holiday(world: World) -> None:
    first, last = date(2026, 1, 1), date(2027, 12, 31)
    assert svc.ensure_public_holidays(world.db, [2026, 2027], ACTOR) > 0
    group = world.group("DRU-A1", start=first)
    for weekday in range(1, 6):
        world.slot(group, weekday, valid_from=first)
    report = world.generate(first, last, today=date(2025, 12, 31))
    days = [row.lesson_date for row in world.lessons(first, last)]
    holidays = {day for day, _name in svc.public_holidays([2026, 2027])}
    weekdays = {first + timedelta(n) for n in range((last - first).days + 1)}
    weekdays = {day for day in weekdays if day.isoweekday() <= 5}
    assert date(2026, 12, 25) not in days and date(2026, 12, 24) in days
    assert not holidays & set(days)
    assert sorted(days) == sorted(weekdays - holidays)
    assert report.created == len(days)
    assert report.skipped_closure == len(holidays & weekdays)
    again = world.generate(first, last, today=date(2025, 12, 31))
    assert again == GenerationReport(skipped_closure=report.skipped_closure)


def test_a_changed_slot_changes_future_lessons_and_never_one_with_attendance(
    world: World,
) -> None:
    group = world.group("DRU-A1")
    slot = world.slot(group, 1)
    pupil = world.candidate("Amal", "Haddad")
    start, end = date(2026, 11, 2), date(2026, 12, 27)
    assert world.generate(start, end).created == 8
    before = _by_date(world, start, end)
    world.mark(before[DEC_7].uid, pupil)

    _resave(world, slot, group, start=time(10, 0), end=time(12, 0),
            teacher_id=world.teachers["Bram"], room_id=world.rooms["Lokaal 2"])  # fmt: skip
    report = world.generate(start, end)
    assert report == GenerationReport(updated=3, kept_with_attendance=1)
    after = _by_date(world, start, end)
    assert set(after) == set(before)
    for day, row in after.items():
        assert row.uid == before[day].uid  # calendars update the same event
        if day <= TODAY or day == DEC_7:
            assert (row.start, row.teacher_name, row.room_name) == (time(9), "Anna", "Lokaal 1")
        else:
            assert (row.start, row.end, row.teacher_name, row.room_name) == (
                time(10), time(12), "Bram", "Lokaal 2",
            )  # fmt: skip
    assert after[DEC_7].has_attendance

    _resave(world, slot, group, weekday=3, start=time(10, 0), end=time(12, 0))
    report = world.generate(start, end)
    assert report == GenerationReport(updated=3, kept_with_attendance=1)
    moved = {row.uid: row.lesson_date for row in world.lessons(start, end)}
    assert moved[before[date(2026, 11, 30)].uid] == date(2026, 12, 2)
    assert moved[before[date(2026, 12, 21)].uid] == date(2026, 12, 23)
    assert moved[before[DEC_7].uid] == DEC_7  # its week keeps the lesson that was given
    assert moved[before[date(2026, 11, 23)].uid] == date(2026, 11, 23)  # the past stays
    assert len(moved) == 8


def test_removing_a_slot_ends_it_and_keeps_history_and_attendance(world: World) -> None:
    group = world.group("DRU-A1")
    slot = world.slot(group, 1)
    start, end = date(2026, 11, 2), date(2026, 12, 27)
    world.generate(start, end)
    world.mark(_by_date(world, start, end)[DEC_7].uid, world.candidate("Amal", "Haddad"))
    assert svc.delete_slot(world.db, slot, ACTOR, today=TODAY) == slot
    left = sorted(_by_date(world, start, end))
    assert left == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
        DEC_7,
    ]
    (ended,) = svc.list_slots(world.db, group_uid=group)
    assert ended.valid_to == TODAY
    assert world.generate(start, end) == GenerationReport(kept_with_attendance=1)


def test_removing_a_slot_that_was_never_used_deletes_it(world: World) -> None:
    group = world.group("DRU-A1")
    later = world.slot(group, 2, valid_from=date(2027, 1, 4))
    world.generate(date(2027, 1, 1), date(2027, 1, 31))
    assert len(world.lessons(date(2027, 1, 1), date(2027, 1, 31))) == 4
    svc.delete_slot(world.db, later, ACTOR, today=TODAY)
    assert svc.list_slots(world.db, group_uid=group) == []
    assert world.lessons(date(2027, 1, 1), date(2027, 1, 31)) == []


def test_a_new_closure_removes_the_future_lessons_of_its_location_only(world: World) -> None:
    druten, wijchen = world.group("DRU-A1"), world.group("WIJ-A1", "Wijchen")
    world.slot(druten, 1)
    world.slot(wijchen, 1, teacher="Bram", room="Lokaal A")
    world.generate(date(2026, 12, 1), date(2026, 12, 31))
    svc.add_closure(world.db, date_from=date(2026, 12, 14), date_to=date(2026, 12, 14),
                    name="Studiedag", kind="eigen", location_id=world.locations["Druten"],
                    actor=ACTOR)  # fmt: skip
    report = world.generate(date(2026, 12, 1), date(2026, 12, 31))
    assert report == GenerationReport(deleted=1, skipped_closure=1)
    on_the_day = world.lessons(date(2026, 12, 14), date(2026, 12, 14))
    assert [row.group_name for row in on_the_day] == ["WIJ-A1"]


def test_cancel_and_restore_a_lesson(world: World) -> None:
    group = world.group("DRU-A1")
    world.slot(group, 1)
    world.generate(date(2026, 12, 1), date(2026, 12, 31))
    lesson = _by_date(world, DEC_7, DEC_7)[DEC_7]
    with pytest.raises(UserError, match="Say why"):
        svc.cancel_lesson(world.db, lesson.uid, "   ", ACTOR)
    svc.cancel_lesson(world.db, lesson.uid, "docent ziek", ACTOR)
    cancelled = _by_date(world, DEC_7, DEC_7)[DEC_7]
    assert (cancelled.cancelled, cancelled.cancel_reason) == (True, "docent ziek")
    assert world.generate(date(2026, 12, 1), date(2026, 12, 31)) == GenerationReport()
    svc.restore_lesson(world.db, lesson.uid, ACTOR)
    assert not _by_date(world, DEC_7, DEC_7)[DEC_7].cancelled


def test_a_lesson_with_attendance_is_neither_cancelled_nor_moved(world: World) -> None:
    group = world.group("DRU-A1")
    world.slot(group, 1)
    world.generate(date(2026, 12, 1), date(2026, 12, 31))
    lesson = _by_date(world, DEC_7, DEC_7)[DEC_7]
    world.mark(lesson.uid, world.candidate("Amal", "Haddad"))
    with pytest.raises(UserError, match="attendance"):
        svc.cancel_lesson(world.db, lesson.uid, "docent ziek", ACTOR)
    with pytest.raises(UserError, match="attendance"):
        svc.move_lesson(world.db, lesson.uid, new_date=date(2026, 12, 8), start=time(9),
                        end=time(11), actor=ACTOR)  # fmt: skip


def test_move_a_lesson_and_generate_again(world: World) -> None:
    group = world.group("DRU-A1")
    world.slot(group, 1)
    world.generate(date(2026, 12, 1), date(2026, 12, 31))
    lesson = _by_date(world, DEC_7, DEC_7)[DEC_7]
    svc.add_closure(world.db, date_from=date(2026, 12, 9), date_to=date(2026, 12, 9),
                    name="Studiedag", kind="eigen", actor=ACTOR)  # fmt: skip

    def move(day: date, start: time, end: time, room: str | None = None) -> None:
        svc.move_lesson(world.db, lesson.uid, new_date=day, start=start, end=end,
                        room_id=world.rooms[room] if room else None, actor=ACTOR)  # fmt: skip

    with pytest.raises(UserError, match="must end after"):
        move(date(2026, 12, 8), time(11), time(10))
    with pytest.raises(UserError, match="closed"):
        move(date(2026, 12, 9), time(9), time(11))
    with pytest.raises(UserError, match="Lokaal A"):
        move(date(2026, 12, 8), time(9), time(11), "Lokaal A")
    with pytest.raises(UserError, match="starts on"):
        move(date(2026, 8, 3), time(9), time(11))
    move(date(2026, 12, 8), time(10), time(12, 30), "Lokaal 2")
    rows = world.lessons(DEC_7, date(2026, 12, 8))
    moved = next(row for row in rows if row.uid == lesson.uid)
    assert (moved.lesson_date, moved.start, moved.room_name, moved.slot_uid) == (
        date(2026, 12, 8), time(10), "Lokaal 2", None,
    )  # fmt: skip
    (left_behind,) = [row for row in rows if row.uid != lesson.uid]
    assert left_behind.lesson_date == DEC_7 and left_behind.cancelled
    assert left_behind.cancel_reason == "verplaatst naar 08-12-2026 10:00"
    assert world.generate(date(2026, 12, 1), date(2026, 12, 31)) == GenerationReport(
        skipped_closure=0
    )
    assert len(world.lessons(DEC_7, date(2026, 12, 8))) == 2


def test_add_a_one_off_lesson(world: World) -> None:
    group = world.group("DRU-A1")
    svc.add_closure(world.db, date_from=date(2026, 12, 9), date_to=date(2026, 12, 9),
                    name="Studiedag", kind="eigen", location_id=world.locations["Druten"],
                    actor=ACTOR)  # fmt: skip

    def add(day: date, start: time, end: time, room: str = "Lokaal 1") -> str:
        return svc.add_lesson(
            world.db, group_uid=group, lesson_date=day, start=start, end=end,
            activity_kind_id=world.kinds["KNM"], teacher_id=world.teachers["Carla"],
            room_id=world.rooms[room], online=False, actor=ACTOR,
        )  # fmt: skip

    with pytest.raises(UserError, match="closed"):
        add(date(2026, 12, 9), time(13), time(15))
    with pytest.raises(UserError, match="must end after"):
        add(date(2026, 12, 10), time(13), time(13))
    with pytest.raises(UserError, match="not at the group's location"):
        add(date(2026, 12, 10), time(13), time(15), "Lokaal A")
    uid = add(date(2026, 12, 10), time(13), time(15))
    (row,) = world.lessons(date(2026, 12, 10), date(2026, 12, 10))
    assert (row.uid, row.activity_code, row.teacher_name, row.slot_uid) == (
        uid,
        "KNM",
        "Carla",
        None,
    )
    assert world.generate(date(2026, 12, 1), date(2026, 12, 31)) == GenerationReport()
    assert len(world.lessons(date(2026, 12, 10), date(2026, 12, 10))) == 1


def test_the_week_of_a_group(world: World) -> None:
    druten, wijchen = world.group("DRU-A1"), world.group("WIJ-A1", "Wijchen")
    world.slot(druten, 1)
    world.slot(druten, 3, time(13), time(15), kind="KNM", teacher="Carla", room=None, online=True)
    world.slot(wijchen, 1, teacher="Bram", room="Lokaal A")
    world.generate(date(2026, 11, 30), date(2026, 12, 6))
    rows = svc.lessons_for_group_week(world.db, druten, 2026, 49)
    assert [(r.lesson_date, r.activity_code) for r in rows] == [
        (date(2026, 11, 30), "NT2"), (date(2026, 12, 2), "KNM"),
    ]  # fmt: skip
    first, second = rows
    assert (first.group_name, first.location_name, first.teacher_name, first.room_name) == (
        "DRU-A1", "Druten", "Anna", "Lokaal 1",
    )  # fmt: skip
    assert first.activity_name_nl == "Nederlands als tweede taal" and first.slot_uid
    assert second.online and second.room_id is None and not second.has_attendance
    with pytest.raises(UserError, match="does not exist"):
        svc.lessons_for_group_week(world.db, druten, 2026, 54)


def test_generation_refuses_a_wrong_period_and_unknown_groups(world: World) -> None:
    with pytest.raises(UserError, match="ends before"):
        world.generate(date(2026, 12, 31), date(2026, 12, 1))
    with pytest.raises(UserError, match="no longer exists"):
        svc.generate_lessons(world.db, start=date(2026, 12, 1), end=date(2026, 12, 31),
                             group_uids=["nope"], today=TODAY)  # fmt: skip
