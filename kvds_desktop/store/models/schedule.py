"""Groups, memberships, the weekly timetable, lessons and closures."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from kvds_desktop.store.models.base import Identified, Versioned


class ActivityKind(SQLModel, table=True):
    """A kind of activity (NT2, KNM, ONA, MAP, a named training ...)."""

    __tablename__ = "activity_kind"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=30, unique=True)
    name_nl: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    category: str = Field(max_length=20)


class Group(Identified, Versioned, table=True):
    """A group of candidates at one location for a period."""

    __tablename__ = "study_group"

    name: str = Field(max_length=80, unique=True)
    location_id: int = Field(foreign_key="location.id", index=True)
    provider_id: int | None = Field(default=None, foreign_key="provider.id")
    level_band: str = Field(default="", max_length=30)
    route: str = Field(default="", max_length=20)
    capacity: int = 16
    start_date: date
    end_date: date | None = None


class GroupMembership(Identified, table=True):
    """A candidate's membership of a group from one date to another."""

    __tablename__ = "group_membership"

    group_id: int = Field(foreign_key="study_group.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    start_date: date
    end_date: date | None = None


class TimetableSlot(Identified, table=True):
    """A recurring weekly slot of a group."""

    __tablename__ = "timetable_slot"

    group_id: int = Field(foreign_key="study_group.id", index=True)
    weekday: int  # ISO weekday, Monday = 1
    start_time: time
    end_time: time
    activity_kind_id: int = Field(foreign_key="activity_kind.id")
    teacher_id: int | None = Field(default=None, foreign_key="teacher.id", index=True)
    room_id: int | None = Field(default=None, foreign_key="room.id")
    online: bool = False
    valid_from: date
    valid_to: date | None = None


class Lesson(Identified, table=True):
    """A concrete lesson on a date, generated from a slot or added by hand."""

    __tablename__ = "lesson"
    __table_args__ = (UniqueConstraint("slot_id", "lesson_date", name="uq_lesson_slot_date"),)

    group_id: int = Field(foreign_key="study_group.id", index=True)
    slot_id: int | None = Field(default=None, foreign_key="timetable_slot.id")
    lesson_date: date = Field(index=True)
    start_time: time
    end_time: time
    activity_kind_id: int = Field(foreign_key="activity_kind.id")
    teacher_id: int | None = Field(default=None, foreign_key="teacher.id", index=True)
    room_id: int | None = Field(default=None, foreign_key="room.id")
    online: bool = False
    cancelled: bool = False
    cancel_reason: str = Field(default="", max_length=200)


class Closure(Identified, table=True):
    """Days without lessons: public and school holidays, own closure days."""

    __tablename__ = "closure"

    location_id: int | None = Field(default=None, foreign_key="location.id")  # None: all
    date_from: date = Field(index=True)
    date_to: date
    kind: str = Field(max_length=20)
    name: str = Field(max_length=120)
