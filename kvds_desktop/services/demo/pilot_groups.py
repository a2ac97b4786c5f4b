"""The pilot's groups per level, their weekly timetable, and who sat in which group when.

Each location has a room per group and shift, so rooms never clash; trainers are
booked per weekday and shift so that no one is in two places at once. Candidates
move up to a group of the next level band as they progress, and groups are kept to
their capacity where the location has room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kvds_desktop.domain.enums import ProviderKind
from kvds_desktop.services.demo.attendance import GOOD
from kvds_desktop.services.demo.cohorts import WI2021_START, CandidatePlan, band_of
from kvds_desktop.services.demo.reference import FIRST_LESSON_DAY, LocationRef, Person, Staff
from kvds_desktop.services.demo.timetable import (
    GroupPlan,
    Member,
    add_member,
    add_slot,
    write_group,
)
from kvds_desktop.services.demo.writer import DemoWriter

LEVEL_BANDS = {"alfa": "Alfa A-Alfa C", "a1": "A1-A2", "a2": "A2-B1", "b1": "B1"}
# location key -> (name, band, room index, shift, lesson days, first day)
PILOT_GROUPS: dict[str, tuple[tuple[str, str, int, str, tuple[int, ...], date], ...]] = {
    "DRU": (
        ("DRU-Alfa", "alfa", 0, "am", (1, 2, 4), FIRST_LESSON_DAY),
        ("DRU-A1", "a1", 1, "am", (1, 3, 4), FIRST_LESSON_DAY),
        ("DRU-A2", "a2", 0, "pm", (2, 3, 5), date(2020, 8, 31)),
        ("DRU-B1", "b1", 1, "pm", (1, 2, 4), date(2022, 8, 29)),
    ),
    "WIJ": (
        ("WIJ-Alfa", "alfa", 0, "am", (1, 2, 4), FIRST_LESSON_DAY),
        ("WIJ-A1", "a1", 1, "am", (1, 3, 4), FIRST_LESSON_DAY),
        ("WIJ-A2-1", "a2", 2, "am", (2, 3, 5), FIRST_LESSON_DAY),
        ("WIJ-A2-2", "a2", 0, "pm", (1, 3, 4), date(2021, 3, 1)),
        ("WIJ-B1", "b1", 1, "pm", (2, 4, 5), date(2022, 6, 13)),
        ("WIJ-A1-2", "a1", 2, "pm", (1, 2, 4), date(2022, 8, 29)),
    ),
}
FALLBACK = {"alfa": ("alfa", "a1"), "a1": ("a1", "alfa", "a2"), "a2": ("a2", "b1", "a1"),
            "b1": ("b1", "a2")}  # fmt: skip
ONLINE_KNM_FROM = date(2021, 1, 1)  # Wijchen gives KNM online to groups started since


class Booker:
    """Books trainers per weekday and shift so their slots never overlap."""

    def __init__(self) -> None:
        self._busy: dict[tuple[int, int, str], list[tuple[date, date | None]]] = {}

    def pick(
        self,
        pool: list[Person],
        weekday: int,
        shift: str,
        start: date,
        end: date | None,
        first: int,
    ) -> Person:
        """The first free person of ``pool`` (starting at index ``first``)."""
        far = date.max
        for step in range(len(pool)):
            person = pool[(first + step) % len(pool)]
            busy = self._busy.setdefault((person.id, weekday, shift), [])
            if all(start > (b or far) or (end or far) < a for a, b in busy):
                busy.append((start, end))
                return person
        person = pool[first % len(pool)]
        self._busy[(person.id, weekday, shift)].append((start, end))
        return person


def write_pilot_groups(
    w: DemoWriter, locations: dict[str, LocationRef], staff: Staff, kinds: dict[str, int]
) -> dict[str, list[GroupPlan]]:
    """Write the groups of both locations with their weekly slots."""
    booker = Booker()
    result: dict[str, list[GroupPlan]] = {}
    teacher_index = 0
    for key, plans in PILOT_GROUPS.items():
        loc = locations[key]
        rooms_teachers = {}
        for room in sorted({p[2] for p in plans}):
            rooms_teachers[room] = staff.language[teacher_index % len(staff.language)]
            teacher_index += 1
        result[key] = []
        for number, (name, band, room, shift, days, start) in enumerate(plans):
            group = GroupPlan(
                id=w.next_id("study_group"), name=name, location=loc, band=band,
                level_band=LEVEL_BANDS[band], route="b1" if band == "b1" else "",
                room_id=loc.rooms[room], shift=shift, days=days, start=start, end=None,
                capacity=16, provider_id=staff.providers[ProviderKind.LANGUAGE],
            )  # fmt: skip
            write_group(w, group)
            _write_slots(w, group, rooms_teachers[room], staff, kinds, booker, number)
            result[key].append(group)
    return result


def _write_slots(
    w: DemoWriter, group: GroupPlan, teacher: Person, staff: Staff, kinds: dict[str, int],
    booker: Booker, number: int,
) -> None:  # fmt: skip
    first_kind = kinds["ALFA"] if group.band == "alfa" else kinds["NT2"]
    ona_end = WI2021_START - timedelta(days=1)
    for weekday in group.days:
        add_slot(w, group, weekday, 0, first_kind, teacher)
    knm_day, module_day, training_day = group.days
    online = group.location.key == "WIJ" and group.start >= ONLINE_KNM_FROM
    add_slot(w, group, knm_day, 1, kinds["KNM"], teacher, online=online)
    if group.start <= ona_end:
        coach = booker.pick(staff.coaches, module_day, group.shift, group.start, ona_end, number)
        add_slot(w, group, module_day, 1, kinds["ONA"], coach, valid_to=ona_end)
    later = max(group.start, WI2021_START)
    module = "PART" if group.band == "alfa" else "MAP"
    pool = staff.trainers if module == "PART" else staff.coaches
    person = booker.pick(pool, module_day, group.shift, later, None, number)
    add_slot(w, group, module_day, 1, kinds[module], person, valid_from=later)
    training = {"alfa": "SENC", "a1": "SENC", "a2": "OSNW", "b1": "PVT"}[group.band]
    trainer = booker.pick(staff.trainers, training_day, group.shift, group.start, None, number)
    add_slot(w, group, training_day, 1, kinds[training], trainer)


@dataclass
class Seats:
    """Occupied seats per group per day, to keep groups within their capacity."""

    first: date
    horizon: date

    def __post_init__(self) -> None:
        self._taken: dict[int, list[int]] = {}

    def _span(self, start: date, end: date | None) -> tuple[int, int]:
        last = min(end or self.horizon, self.horizon)
        return (start - self.first).days, (last - self.first).days + 1

    def free(self, group: GroupPlan, start: date, end: date | None) -> int:
        """Seats still free in ``group`` on every day from start to end."""
        taken = self._taken.setdefault(group.id, [0] * ((self.horizon - self.first).days + 1))
        a, b = self._span(start, end)
        return group.capacity - max(taken[a:b], default=0)

    def take(self, group: GroupPlan, start: date, end: date | None) -> None:
        """Occupy a seat from start to end."""
        taken = self._taken[group.id]
        a, b = self._span(start, end)
        for day in range(a, b):
            taken[day] += 1


def _segments(plan: CandidatePlan, today: date) -> list[tuple[str, date, date | None]]:
    """(band, first day, last day or None while ongoing) of a candidate's group periods."""
    last = plan.outflow_day - timedelta(days=1) if plan.outflow_day else None
    cuts = [(plan.active_from, band_of(plan.start_level))]
    cuts += [(d, band) for d, band in plan.band_changes() if last is None or d <= last]
    parts: list[tuple[str, date, date | None]] = []
    for index, (start, band) in enumerate(cuts):
        end = cuts[index + 1][0] - timedelta(days=1) if index + 1 < len(cuts) else last
        parts.append((band, start, end))
    if plan.pause is not None:
        p_start, p_end, _ = plan.pause
        split: list[tuple[str, date, date | None]] = []
        for band, start, end in parts:
            if (end is not None and end < p_start) or start > p_end:
                split.append((band, start, end))
                continue
            if start < p_start:
                split.append((band, start, p_start - timedelta(days=1)))
            if end is None or end > p_end:
                split.append((band, p_end + timedelta(days=1), end))
        parts = split
    observed: list[tuple[str, date, date | None]] = []
    for band, start, end in parts:
        if start > today:
            break
        if end is None or end >= today:
            observed.append((band, start, None))
            break
        observed.append((band, start, end))
    return observed


def assign_members(
    w: DemoWriter, plans: list[CandidatePlan], groups: dict[str, list[GroupPlan]], today: date,
    horizon: date,
) -> dict[int, GroupPlan]:  # fmt: skip
    """Write the memberships of every candidate; return each candidate's latest group."""
    seats = Seats(FIRST_LESSON_DAY, horizon)
    latest: dict[int, GroupPlan] = {}
    streaks = _pick_streaks(w, plans, today)
    for plan in plans:
        profile = plan.profile or GOOD
        if plan.id in streaks:
            profile = profile.with_streak(today - timedelta(days=27), today)
        previous: tuple[GroupPlan, Member] | None = None
        for band, start, end in _segments(plan, today):
            group = _choose(groups[plan.location.key], band, start, end, seats)
            seats.take(group, start, end)
            if previous and previous[0] is group and previous[1].end == start - timedelta(days=1):
                previous[1].end = end
                continue
            if previous:
                add_member(w, previous[0], previous[1])
            previous = (group, Member(plan.id, start, end, profile))
        if previous:
            add_member(w, previous[0], previous[1])
            latest[plan.id] = previous[0]
    return latest


def _choose(
    groups: list[GroupPlan], band: str, start: date, end: date | None, seats: Seats
) -> GroupPlan:
    started = [g for g in groups if g.start <= start]
    for wanted in FALLBACK[band]:
        options = [(seats.free(g, start, end), -n, g) for n, g in enumerate(started)
                   if g.band == wanted]  # fmt: skip
        best = max(options, key=lambda o: o[:2], default=None)
        if best is not None and best[0] > 0:
            return best[2]
    same = [g for g in started if g.band == band] or started or groups
    return max(same, key=lambda g: seats.free(g, start, end))


def _pick_streaks(w: DemoWriter, plans: list[CandidatePlan], today: date) -> set[int]:
    """A few active candidates with a recent run of absence, for the absence signals."""
    active = [
        p.id for p in plans
        if (p.outflow_day is None or p.outflow_day > today)
        and p.active_from <= today - timedelta(days=90) and p.pause is None
    ]  # fmt: skip
    return set(w.rng.sample(active, min(4, len(active))))
