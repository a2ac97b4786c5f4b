"""Groups: dated memberships, moves that keep history, warnings; days without lessons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from kvds_desktop.errors import UserError
from kvds_desktop.services import scheduling as svc
from tests.unit.scheduling_world import ACTOR, GROUP_START, TODAY, World

WEEK_49 = [date(2026, 11, 30) + timedelta(days=n) for n in range(5)]  # Monday to Friday


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = World.create(tmp_path)
    yield built
    built.close()


def _row(world: World, name: str, max_spread: int = 2) -> svc.GroupRow:
    return next(r for r in svc.group_rows(world.db, TODAY, max_spread) if r.name == name)


def test_a_group_over_its_capacity_warns(world: World) -> None:
    group = world.group("DRU-A1", capacity=2)
    people = [world.candidate("Amal", f"Haddad{n}") for n in range(3)]
    results = [svc.add_member(world.db, group, uid, date(2026, 9, 1), ACTOR) for uid in people]
    assert [(r.members, r.over_capacity) for r in results] == [(1, False), (2, False), (3, True)]
    row = _row(world, "DRU-A1")
    assert (row.members_now, row.capacity, row.over_capacity) == (3, 2, True)
    assert (row.location, row.level_band, row.start, row.end) == (
        "Druten",
        "A1-A2",
        GROUP_START,
        None,
    )
    svc.end_member(world.db, group, people[0], date(2026, 10, 31), ACTOR)
    assert not _row(world, "DRU-A1").over_capacity


def test_a_wide_spread_of_current_levels_warns(world: World) -> None:
    group = world.group("DRU-A1")
    low, high, gone = (world.candidate(n, "Test") for n in ("Lage", "Hoge", "Weg"))
    for uid in (low, high, gone):
        svc.add_member(world.db, group, uid, date(2026, 9, 1), ACTOR)
    svc.end_member(world.db, group, gone, date(2026, 10, 1), ACTOR)
    world.assess(low, "lezen", "a2", date(2026, 3, 1))
    world.assess(low, "lezen", "alfa_b", date(2026, 9, 15))  # the latest level counts
    world.assess(high, "lezen", "a2", date(2026, 10, 1))
    world.assess(high, "spreken", "a1", date(2026, 10, 1))
    world.assess(gone, "lezen", "c1", date(2026, 9, 2))  # no longer in the group
    world.assess(high, "lezen", "b2", date(2027, 1, 1))  # not measured yet on TODAY
    row = _row(world, "DRU-A1")
    assert row.level_spread == {"lezen": 3, "spreken": 0}
    assert row.spread_warning
    assert not _row(world, "DRU-A1", max_spread=3).spread_warning
    narrow = world.group("DRU-A2")
    svc.add_member(world.db, narrow, world.candidate("Nina", "Smal"), date(2026, 9, 1), ACTOR)
    assert not _row(world, "DRU-A2").spread_warning


def test_moving_a_candidate_keeps_the_history(world: World) -> None:
    first, second = world.group("DRU-A1"), world.group("DRU-A2")
    amal = world.candidate("Amal", "Haddad", "1002300")
    svc.add_member(world.db, first, amal, date(2026, 9, 1), ACTOR)
    moved = svc.move_member(world.db, amal, first, second, date(2026, 11, 2), ACTOR)
    assert not moved.over_capacity
    before = svc.group_members(world.db, first, date(2026, 10, 30))
    assert [(m.name, m.since, m.until, m.klantnummer) for m in before] == [
        ("Amal Haddad", date(2026, 9, 1), date(2026, 11, 1), "1002300")
    ]
    assert svc.group_members(world.db, first, date(2026, 11, 2)) == []
    (now,) = svc.group_members(world.db, second, date(2026, 11, 2))
    assert (now.candidate_uid, now.since, now.until) == (amal, date(2026, 11, 2), None)
    with pytest.raises(UserError, match="not a member"):
        svc.move_member(world.db, amal, first, second, date(2026, 12, 1), ACTOR)
    with pytest.raises(UserError, match="another group"):
        svc.move_member(world.db, amal, second, second, date(2026, 12, 1), ACTOR)


def test_membership_rules(world: World) -> None:
    group = world.group("DRU-A1", end=date(2027, 6, 30))
    amal = world.candidate("Amal", "Haddad")
    with pytest.raises(UserError, match="lies outside"):
        svc.add_member(world.db, group, amal, date(2026, 8, 1), ACTOR)
    with pytest.raises(UserError, match="lies outside"):
        svc.add_member(world.db, group, amal, date(2027, 7, 1), ACTOR)
    svc.add_member(world.db, group, amal, date(2026, 9, 1), ACTOR)
    with pytest.raises(UserError, match="already a member"):
        svc.add_member(world.db, group, amal, date(2026, 10, 1), ACTOR)
    with pytest.raises(UserError, match="no longer exists"):
        svc.add_member(world.db, group, "nobody", date(2026, 10, 1), ACTOR)
    with pytest.raises(UserError, match="not a member"):
        svc.end_member(world.db, group, amal, date(2026, 8, 31), ACTOR)


def test_group_validation(world: World) -> None:
    world.group("DRU-A1")
    druten = world.locations["Druten"]

    def save(**changes: object) -> str:
        values: dict[str, object] = {
            "uid": None, "name": "DRU-B1", "location_id": druten, "capacity": 12,
            "start": GROUP_START, "end": None,
        }  # fmt: skip
        values.update(changes)
        return svc.save_group(world.db, actor=ACTOR, **values)  # type: ignore[arg-type]

    with pytest.raises(UserError, match="already a group"):
        save(name="dru-a1")
    with pytest.raises(UserError, match="capacity"):
        save(capacity=0)
    with pytest.raises(UserError, match="ends before"):
        save(end=date(2026, 1, 1))
    with pytest.raises(UserError, match="learning route"):
        save(route="snelweg")
    uid = save(route="b1")
    assert save(uid=uid, capacity=14) == uid
    assert _row(world, "DRU-B1").capacity == 14


def test_days_without_lessons_follow_memberships_cancellations_and_closures(world: World) -> None:
    language, training = world.group("DRU-A1"), world.group("DRU-Training")
    world.slot(language, 1)
    world.slot(language, 3)
    world.slot(training, 2, time(13), time(15), teacher="Bram", room="Lokaal 2")
    world.slot(training, 5, time(13), time(15), teacher="Bram", room="Lokaal 2")
    amal = world.candidate("Amal", "Haddad")
    svc.add_member(world.db, language, amal, date(2026, 9, 1), ACTOR)
    svc.add_member(world.db, training, amal, date(2026, 12, 1), ACTOR)  # a Tuesday
    world.generate(date(2026, 11, 30), date(2026, 12, 13))
    monday, tuesday, wednesday, thursday, friday = WEEK_49
    assert svc.days_without_lessons(world.db, amal, 2026, 49) == [thursday]
    svc.end_member(world.db, training, amal, date(2026, 12, 3), ACTOR)
    assert svc.days_without_lessons(world.db, amal, 2026, 49) == [thursday, friday]
    wednesday_lesson = world.lessons(wednesday, wednesday)[0]
    svc.cancel_lesson(world.db, wednesday_lesson.uid, "docent ziek", ACTOR)
    assert svc.days_without_lessons(world.db, amal, 2026, 49) == [wednesday, thursday, friday]
    svc.add_closure(world.db, date_from=monday, date_to=monday, name="Studiedag",
                    kind="eigen", actor=ACTOR)  # fmt: skip
    assert svc.days_without_lessons(world.db, amal, 2026, 49) == [
        monday, wednesday, thursday, friday,
    ]  # fmt: skip
    assert tuesday not in svc.days_without_lessons(world.db, amal, 2026, 49)
    with pytest.raises(UserError, match="no longer exists"):
        svc.days_without_lessons(world.db, "nobody", 2026, 49)
