"""Properties of lesson generation for random timetables, closures and changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.scheduling import GenerationReport
from tests.unit.scheduling_world import ACTOR, World

FIRST, LAST = date(2026, 11, 2), date(2027, 2, 28)  # a Monday and a Sunday
BASE = date(2026, 10, 1)
GROUP_END = date(2027, 1, 31)


@dataclass(frozen=True)
class SlotSpec:
    group: int
    weekday: int
    start_hour: int
    minutes: int
    first: int
    length: int | None

    def fields(self, world: World, groups: list[str]) -> dict[str, object]:
        start = time(self.start_hour, 0)
        end_minutes = self.start_hour * 60 + self.minutes
        valid_from = BASE + timedelta(days=self.first)
        return {
            "group_uid": groups[self.group], "weekday": self.weekday, "start": start,
            "end": time(end_minutes // 60, end_minutes % 60),
            "activity_kind_id": world.kinds["NT2"], "teacher_id": world.teachers["Anna"],
            "room_id": None, "online": False, "valid_from": valid_from,
            "valid_to": None if self.length is None else valid_from + timedelta(days=self.length),
        }  # fmt: skip


slot_specs = st.builds(
    SlotSpec,
    group=st.integers(0, 1),
    weekday=st.integers(1, 7),
    start_hour=st.integers(8, 16),
    minutes=st.sampled_from([45, 60, 90, 150]),
    first=st.integers(0, 120),
    length=st.none() | st.integers(0, 120),
)
closure_specs = st.lists(
    st.tuples(
        st.integers(0, 150), st.integers(0, 10), st.sampled_from([None, "Druten", "Wijchen"])
    ),
    max_size=4,
    unique=True,
)
todays = st.sampled_from([date(2026, 10, 30), date(2026, 11, 28), date(2026, 12, 16)])


def _reset(world: World) -> list[str]:
    with world.db.session() as session:
        conn = session.connection()
        for table in ("lesson", "timetable_slot", "closure", "study_group"):
            conn.execute(text(f"DELETE FROM {table}"))
    return [world.group("DRU-A1"), world.group("WIJ-A1", "Wijchen", end=GROUP_END)]


def _closures(world: World, specs: list[tuple[int, int, str | None]]) -> None:
    for offset, length, place in specs:
        start = BASE + timedelta(days=offset)
        svc.add_closure(
            world.db, date_from=start, date_to=start + timedelta(days=length),
            name=f"Dicht {offset}-{length}", kind="eigen",
            location_id=world.locations[place] if place else None, actor=ACTOR,
        )  # fmt: skip


def _state(world: World) -> set[tuple[str, date, time, time, str | None]]:
    return {
        (row.uid, row.lesson_date, row.start, row.end, row.slot_uid)
        for row in world.lessons(FIRST, LAST)
    }


def _check_invariants(world: World, since: date) -> None:
    """No lesson on a closed day or twice for a slot in one week; none in the weeks after
    that of ``since`` on another weekday than its slot's or before its validity."""
    slots = {s.uid: s for s in svc.list_slots(world.db)}
    closed = {
        (c.location_name, c.date_from + timedelta(days=n))
        for c in svc.list_closures(world.db, FIRST, LAST)
        for n in range((c.date_to - c.date_from).days + 1)
    }
    weeks = set()
    since_week = since.isocalendar()[:2] if since > date.min else (0, 0)
    for row in world.lessons(FIRST, LAST):
        assert ("", row.lesson_date) not in closed
        assert (row.location_name, row.lesson_date) not in closed
        assert row.slot_uid is not None
        slot = slots[row.slot_uid]
        if row.lesson_date > since and row.lesson_date.isocalendar()[:2] != since_week:
            assert row.lesson_date.isoweekday() == slot.weekday
            assert slot.valid_from <= row.lesson_date
        key = (row.slot_uid, row.lesson_date.isocalendar()[:2])
        assert key not in weeks
        weeks.add(key)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    slots=st.lists(slot_specs, min_size=1, max_size=5),
    changes=st.lists(st.none() | slot_specs | st.just("delete"), min_size=5, max_size=5),
    closures=closure_specs,
    today=todays,
)
def _generation_properties(
    world: World,
    slots: list[SlotSpec],
    changes: list[SlotSpec | str | None],
    closures: list[tuple[int, int, str | None]],
    today: date,
) -> None:
    groups = _reset(world)
    _closures(world, closures)
    uids = [svc.save_slot(world.db, uid=None, actor=ACTOR, **spec.fields(world, groups))  # type: ignore[arg-type]
            for spec in slots]  # fmt: skip
    first = world.generate(FIRST, LAST, today)
    created = _state(world)
    assert first.created == len(created)
    assert world.generate(FIRST, LAST, today) == GenerationReport(
        skipped_closure=first.skipped_closure
    )
    assert _state(world) == created
    _check_invariants(world, date.min)

    for uid, change in zip(uids, changes, strict=False):
        if change == "delete":
            svc.delete_slot(world.db, uid, ACTOR, today=today)
        elif isinstance(change, SlotSpec):
            fields = change.fields(world, groups)
            svc.save_slot(world.db, uid=uid, actor=ACTOR, **fields)  # type: ignore[arg-type]
    world.generate(FIRST, LAST, today)
    after = _state(world)
    assert {x for x in after if x[1] <= today} >= {x for x in created if x[1] <= today}
    again = world.generate(FIRST, LAST, today)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert _state(world) == after
    _check_invariants(world, today)

    # Every future lesson is what the timetable asks for, and nothing it asks for is missing
    # (except in a week whose lesson of that slot was given already).
    given_weeks = {(x[4], x[1].isocalendar()[:2]) for x in after if x[1] <= today}
    closed = {(c.location_id, c.date_from + timedelta(days=n))
              for c in svc.list_closures(world.db, FIRST, LAST)
              for n in range((c.date_to - c.date_from).days + 1)}  # fmt: skip
    locations = {uid: world.locations[name] for uid, name in
                 zip(groups, ("Druten", "Wijchen"), strict=True)}  # fmt: skip
    group_end = {groups[0]: None, groups[1]: GROUP_END}
    wanted = set()
    for slot in svc.list_slots(world.db):
        day = max(today + timedelta(days=1), slot.valid_from, FIRST)
        while day <= LAST:
            ends = [d for d in (slot.valid_to, group_end[slot.group_uid]) if d is not None]
            open_day = (None, day) not in closed and (locations[slot.group_uid], day) not in closed
            if (
                day.isoweekday() == slot.weekday and open_day and all(day <= d for d in ends)
                and (slot.uid, day.isocalendar()[:2]) not in given_weeks
            ):  # fmt: skip
                wanted.add((day, slot.start, slot.end, slot.uid))
            day += timedelta(days=1)
    # This week's lesson still to come stays as planned when the new day has passed.
    this_week = today.isocalendar()[:2]
    future = {(x[1], x[2], x[3], x[4]) for x in after if x[1] > today}
    assert {x for x in future if x[0].isocalendar()[:2] != this_week} == {
        x for x in wanted if x[0].isocalendar()[:2] != this_week
    }
    assert {x for x in wanted if x[0].isocalendar()[:2] == this_week} <= future


def test_generation_is_idempotent_follows_changes_and_skips_closures(tmp_path: Path) -> None:
    world = World.create(tmp_path)
    try:
        _generation_properties(world)
    finally:
        world.close()
