"""The plain data the printed documents are drawn from.

The services build these frozen dataclasses from the database; the drawing code in
this package reads nothing else. Texts that exist in two languages in the database
(activity names, status labels) travel as :class:`Bilingual`, so one model prints in
Dutch or English and its content hash does not depend on the language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True)
class Bilingual:
    """A text stored in Dutch and in English."""

    nl: str
    en: str

    def pick(self, language: str) -> str:
        """The text in ``language`` (Dutch for anything but English), else the other one."""
        first, second = (self.en, self.nl) if language == "en" else (self.nl, self.en)
        return first or second


@dataclass(frozen=True)
class LessonItem:
    """One lesson of a group in the week."""

    uid: str
    day: date
    start: time
    end: time
    activity_code: str
    activity: Bilingual
    teacher: str
    room: str
    online: bool = False
    cancelled: bool = False
    cancel_reason: str = ""
    present: int | None = None  # candidates marked present; None: no marks yet

    @property
    def short_id(self) -> str:
        """The first eight characters of the uid, printed under the QR code."""
        return self.uid[:8]


@dataclass(frozen=True)
class MemberItem:
    """A candidate on the attendance list: a member of the group in (part of) the week."""

    uid: str
    name: str  # as registered: voornamen tussenvoegsel achternaam
    short_id: str  # the client number, else the first eight characters of the uid
    since: date
    until: date | None = None
    # lesson uid -> status code of the current mark
    marks: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    def member_on(self, day: date) -> bool:
        """Whether the candidate belongs to the group on ``day``."""
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class ClosureItem:
    """A closure (holiday, closure day) that touches the week."""

    first: date
    last: date
    name: str

    def covers(self, day: date) -> bool:
        """Whether ``day`` falls within the closure."""
        return self.first <= day <= self.last


@dataclass(frozen=True)
class StatusItem:
    """An attendance status for the legend."""

    code: str
    label: Bilingual


@dataclass(frozen=True)
class Stamp:
    """When a document was printed and, for a group week, its content version."""

    printed_on: date
    version: int | None = None


@dataclass(frozen=True)
class GroupWeek:
    """Everything the weekly overview of one group shows."""

    group_uid: str
    group_name: str
    level_band: str
    location: str
    iso_year: int
    iso_week: int
    days: tuple[date, ...]  # Monday to Sunday
    lessons: tuple[LessonItem, ...]
    members: tuple[MemberItem, ...]
    closures: tuple[ClosureItem, ...] = ()
    statuses: tuple[StatusItem, ...] = ()

    @property
    def week_key(self) -> str:
        """The week as ``2026-W49``."""
        return f"{self.iso_year}-W{self.iso_week:02d}"


@dataclass(frozen=True)
class LocationWeek:
    """The groups of one location in one week."""

    location: str
    iso_year: int
    iso_week: int
    days: tuple[date, ...]
    groups: tuple[GroupWeek, ...]
    closures: tuple[ClosureItem, ...] = ()


@dataclass(frozen=True)
class ScheduleLesson:
    """A lesson on a candidate's weekly schedule."""

    lesson: LessonItem
    group_name: str
    location: str
    address: str  # street and city of the location ("" when unknown)


@dataclass(frozen=True)
class PlacementItem:
    """A placement (volunteer work, internship, job ...) running in the week."""

    kind: str  # the stored code, e.g. "vrijwilligerswerk"
    organisation: str
    address: str
    weekdays: tuple[int, ...]  # ISO weekdays; empty: not agreed
    hours_per_week: int | None
    start: date
    end: date | None


@dataclass(frozen=True)
class CandidateWeek:
    """Everything a candidate's weekly schedule shows."""

    candidate_uid: str
    name: str
    short_id: str
    iso_year: int
    iso_week: int
    days: tuple[date, ...]
    lessons: tuple[ScheduleLesson, ...]
    placements: tuple[PlacementItem, ...] = ()
    closures: tuple[ClosureItem, ...] = ()
