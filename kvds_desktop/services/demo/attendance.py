"""Attendance marks for every member of a group in every past lesson.

Each candidate has an attendance profile. A candidate's day is drawn once (present,
late, left early, absent with or without notice) and applied to all lessons of that
day, so a sick candidate misses the morning and the afternoon alike.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from kvds_desktop.domain.enums import AbsenceReason
from kvds_desktop.services.demo.writer import SOURCE, DemoWriter, local_to_utc

if TYPE_CHECKING:
    from kvds_desktop.services.demo.timetable import GroupPlan, LessonPlan

# Reasons of an absence with notice, weighted (ziek most often).
EXCUSE_REASONS: tuple[str, ...] = (
    (AbsenceReason.ZIEK.value,) * 9
    + (AbsenceReason.AFSPRAAK_INSTANTIE.value,) * 5
    + (AbsenceReason.ZORGTAKEN.value,) * 3
    + (AbsenceReason.WERK.value,) * 2
    + (AbsenceReason.OVERIG.value,) * 1
)
LEAVE_NOTES: tuple[str, ...] = ("examen DUO", "gesprek IND", "begrafenis familielid")


@dataclass(frozen=True)
class AttendanceProfile:
    """Chances per day; a streak window raises unexcused absence (for signals)."""

    excused: float
    unexcused: float
    late: float
    early: float
    leave: float = 0.002
    streak_from: date | None = None
    streak_to: date | None = None

    def in_streak(self, day: date) -> bool:
        """Whether ``day`` falls in the profile's run of absence."""
        if self.streak_from is None or self.streak_to is None:
            return False
        return self.streak_from <= day <= self.streak_to

    def with_streak(self, start: date, end: date) -> AttendanceProfile:
        """The same profile with a run of mostly unexcused absence from start to end."""
        return AttendanceProfile(
            self.excused, self.unexcused, self.late, self.early, self.leave, start, end
        )


GOOD = AttendanceProfile(excused=0.055, unexcused=0.015, late=0.04, early=0.012)
AVERAGE = AttendanceProfile(excused=0.09, unexcused=0.04, late=0.06, early=0.02)
WEAK = AttendanceProfile(excused=0.15, unexcused=0.14, late=0.08, early=0.03)
STREAK = AttendanceProfile(excused=0.12, unexcused=0.55, late=0.08, early=0.02)


def pick_profile(w: DemoWriter) -> AttendanceProfile:
    """A profile for a new candidate: most attend well, a few badly."""
    r = w.rng.random()
    return GOOD if r < 0.72 else AVERAGE if r < 0.92 else WEAK


@dataclass(frozen=True)
class DayOutcome:
    """How a candidate's day went: a status code for the day, late or left early."""

    code: str = "A"
    reason: str = ""
    note: str = ""
    late: bool = False
    early: bool = False


PRESENT = DayOutcome()
LATE = DayOutcome(late=True)
EARLY = DayOutcome(early=True)
UNEXCUSED = DayOutcome("Z")


def draw_day(rng: random.Random, profile: AttendanceProfile, day: date) -> DayOutcome:
    """Draw one candidate's day from their profile (or their absence streak)."""
    if profile.in_streak(day):
        profile = STREAK
    r = rng.random()
    if r < profile.excused:
        return DayOutcome("M", rng.choice(EXCUSE_REASONS))
    r -= profile.excused
    if r < profile.unexcused:
        return UNEXCUSED
    if r - profile.unexcused < profile.leave:
        return DayOutcome("O", AbsenceReason.OVERIG.value, rng.choice(LEAVE_NOTES))
    r = rng.random()
    if r < profile.late:
        return LATE
    return EARLY if r < profile.late + profile.early else PRESENT


def write_marks(
    w: DemoWriter,
    groups: list[GroupPlan],
    lessons: dict[int, list[LessonPlan]],
    statuses: dict[str, int],
    today: date,
    coordinators: dict[int, str],
    span: tuple[float, float],
) -> None:
    """Write a mark per member per past, not cancelled lesson; report progress in ``span``."""
    total = max(1, len(groups))
    for index, group in enumerate(groups):
        coordinator = coordinators.get(group.location.id, "coördinator")
        members = sorted(group.members, key=lambda m: m.start)
        past = (lesson for lesson in lessons[group.id] if lesson.day <= today)
        for day, day_lessons in groupby(past, key=lambda lesson: lesson.day):
            held = [lesson for lesson in day_lessons if not lesson.cancelled]
            if not held:
                continue
            stamps = [
                local_to_utc(day, lesson.slot.end) + timedelta(minutes=w.rng.randint(2, 45))
                for lesson in held
            ]
            for member in members:
                if member.start > day:
                    break
                if member.end is None or member.end >= day:
                    outcome = draw_day(w.rng, member.profile, day)
                    _write_day(w, member.candidate_id, held, stamps, outcome, statuses, coordinator)
        w.progress(span[0] + (span[1] - span[0]) * (index + 1) / total, "attendance")


def _write_day(
    w: DemoWriter,
    candidate_id: int,
    held: list[LessonPlan],
    stamps: list[datetime],
    outcome: DayOutcome,
    statuses: dict[str, int],
    coordinator: str,
) -> None:
    """One mark per lesson of the day: late in the first lesson, early out of the last."""
    last = len(held) - 1
    for position, lesson in enumerate(held):
        code, minutes = outcome.code, None
        if outcome.late and position == 0:
            code, minutes = "L", 5 * w.rng.randint(1, 8)
        elif outcome.early and position == last:
            code, minutes = "E", 15 * w.rng.randint(1, 4)
        by, at = lesson.slot.teacher.name, stamps[position]
        if code == "O":  # leave is granted by the coordinator, the day after
            by, at = coordinator, at + timedelta(days=1)
        w.add(
            "attendance_mark",
            {
                "id": w.next_id("attendance_mark"), "uid": w.uid(), "lesson_id": lesson.id,
                "candidate_id": candidate_id, "status_id": statuses[code],
                "reason": outcome.reason, "minutes": minutes, "note": outcome.note,
                "recorded_by": by, "recorded_at": at, "source": SOURCE, "origin": "local",
            },
        )  # fmt: skip
