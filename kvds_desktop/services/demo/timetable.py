"""Groups, weekly slots, memberships and the lessons generated from the slots.

A group meets on three weekdays in one room, either in the morning or in the afternoon
shift; each meeting is an NT2 (or literacy) block followed by a shorter activity block.
Lessons are generated from the slots for every week, skipping closed days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from kvds_desktop.services.demo.attendance import AttendanceProfile
from kvds_desktop.services.demo.reference import LocationRef, Person
from kvds_desktop.services.demo.writer import DemoWriter

# shift -> ((first block start, end), (second block start, end))
SHIFTS: dict[str, tuple[tuple[time, time], tuple[time, time]]] = {
    "am": ((time(9, 0), time(11, 30)), (time(11, 45), time(13, 0))),
    "pm": ((time(13, 15), time(15, 45)), (time(16, 0), time(17, 0))),
}

CANCEL_REASONS: tuple[str, ...] = (
    "docent ziek",
    "docent ziek, geen vervanging",
    "lokaal niet beschikbaar",
    "weeralarm code oranje",
    "storing verwarming",
)


@dataclass
class SlotPlan:
    """A written weekly slot."""

    id: int
    weekday: int
    start: time
    end: time
    kind_id: int
    teacher: Person
    room_id: int | None
    online: bool
    valid_from: date
    valid_to: date | None


@dataclass
class Member:
    """A written membership: who was in the group from when to when (inclusive)."""

    candidate_id: int
    start: date
    end: date | None
    profile: AttendanceProfile


@dataclass
class GroupPlan:
    """A written group with its slots and memberships."""

    id: int
    name: str
    location: LocationRef
    band: str
    level_band: str
    route: str
    room_id: int
    shift: str
    days: tuple[int, ...]
    start: date
    end: date | None
    capacity: int
    provider_id: int | None
    slots: list[SlotPlan] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)

    def free_days(self) -> str:
        """The weekdays without lessons, as stored in work profiles ("3,5")."""
        return ",".join(str(d) for d in range(1, 6) if d not in self.days)


@dataclass
class LessonPlan:
    """A written lesson."""

    id: int
    day: date
    slot: SlotPlan
    cancelled: bool


def write_group(w: DemoWriter, group: GroupPlan) -> None:
    """Write the study_group row of ``group``."""
    w.add(
        "study_group",
        {
            "id": group.id, "uid": w.uid(), "name": group.name, "location_id": group.location.id,
            "provider_id": group.provider_id, "level_band": group.level_band,
            "route": group.route, "capacity": group.capacity, "start_date": group.start,
            "end_date": group.end,
        },
    )  # fmt: skip


def add_slot(
    w: DemoWriter,
    group: GroupPlan,
    weekday: int,
    block: int,
    kind_id: int,
    teacher: Person,
    *,
    online: bool = False,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> SlotPlan:
    """Write a weekly slot of ``group`` in block 0 (NT2) or 1 (activity) of its shift."""
    start, end = SHIFTS[group.shift][block]
    ends = [d for d in (valid_to, group.end) if d is not None]
    slot = SlotPlan(
        id=w.next_id("timetable_slot"),
        weekday=weekday,
        start=start,
        end=end,
        kind_id=kind_id,
        teacher=teacher,
        room_id=None if online else group.room_id,
        online=online,
        valid_from=max(valid_from or group.start, group.start),
        valid_to=min(ends) if ends else None,
    )
    group.slots.append(slot)
    w.add(
        "timetable_slot",
        {
            "id": slot.id, "uid": w.uid(), "group_id": group.id, "weekday": weekday,
            "start_time": start, "end_time": end, "activity_kind_id": kind_id,
            "teacher_id": teacher.id, "room_id": slot.room_id, "online": online,
            "valid_from": slot.valid_from, "valid_to": slot.valid_to,
        },
    )  # fmt: skip
    return slot


def add_member(w: DemoWriter, group: GroupPlan, member: Member) -> None:
    """Write a membership of ``group``."""
    group.members.append(member)
    w.add(
        "group_membership",
        {
            "id": w.next_id("group_membership"), "uid": w.uid(), "group_id": group.id,
            "candidate_id": member.candidate_id, "start_date": member.start,
            "end_date": member.end,
        },
    )  # fmt: skip


def write_lessons(
    w: DemoWriter,
    groups: list[GroupPlan],
    closed: dict[int, set[date]],
    horizon: date,
    *,
    online_periods: tuple[tuple[date, date], ...] = (),
    cancel_rate: float = 0.01,
) -> dict[int, list[LessonPlan]]:
    """Write the lessons of every slot up to ``horizon``; return them per group id.

    No lesson falls on a closed day of the group's location. Lessons in an
    ``online_periods`` window are given online (as in the 2020 lockdowns).
    """
    rng = w.rng
    result: dict[int, list[LessonPlan]] = {}
    for group in groups:
        lessons: list[LessonPlan] = []
        closed_days = closed[group.location.id]
        for slot in group.slots:
            day = slot.valid_from + timedelta(
                days=(slot.weekday - 1 - slot.valid_from.weekday()) % 7
            )
            last = min(d for d in (slot.valid_to, group.end, horizon) if d is not None)
            while day <= last:
                if day not in closed_days:
                    online = slot.online or any(a <= day <= b for a, b in online_periods)
                    cancelled = rng.random() < cancel_rate
                    lesson = LessonPlan(w.next_id("lesson"), day, slot, cancelled)
                    lessons.append(lesson)
                    w.add(
                        "lesson",
                        {
                            "id": lesson.id, "uid": w.uid(), "group_id": group.id,
                            "slot_id": slot.id, "lesson_date": day, "start_time": slot.start,
                            "end_time": slot.end, "activity_kind_id": slot.kind_id,
                            "teacher_id": slot.teacher.id,
                            "room_id": None if online else slot.room_id, "online": online,
                            "cancelled": cancelled,
                            "cancel_reason": rng.choice(CANCEL_REASONS) if cancelled else "",
                        },
                    )  # fmt: skip
                day += timedelta(days=7)
        lessons.sort(key=lambda lesson: (lesson.day, lesson.slot.start))
        result[group.id] = lessons
    return result
