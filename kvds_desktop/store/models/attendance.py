"""Attendance statuses as data, and marks with their provenance."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from kvds_desktop.store.models.base import Identified, utcnow


class AttendanceStatus(SQLModel, table=True):
    """One attendance status: what it counts as, and who may use it."""

    __tablename__ = "attendance_status"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=2, unique=True)
    label_nl: str = Field(max_length=80)
    label_en: str = Field(max_length=80)
    counts_present: bool
    counts_late: bool = False
    excused: bool = False
    needs_reason: bool = False
    needs_minutes: bool = False
    teacher_may_use: bool = True
    sort_order: int = 0
    active: bool = True


class AttendanceMark(Identified, table=True):
    """The current mark of one candidate in one lesson, with who recorded it, when, where."""

    __tablename__ = "attendance_mark"
    __table_args__ = (UniqueConstraint("lesson_id", "candidate_id", name="uq_mark_lesson_cand"),)

    lesson_id: int = Field(foreign_key="lesson.id")
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    status_id: int = Field(foreign_key="attendance_status.id")
    reason: str = Field(default="", max_length=30)
    minutes: int | None = None
    note: str = Field(default="", max_length=200)
    recorded_by: str = Field(max_length=120)
    recorded_at: datetime = Field(default_factory=utcnow)
    source: str = Field(default="", max_length=200)  # device id or file name
    # local: typed in this database; merged: agreed by every file; resolved: a conflict kept
    origin: str = Field(default="local", max_length=10)


class AttendanceMonth(SQLModel, table=True):
    """Marks summed per candidate, month of the lesson and status (kept by the database).

    Triggers on ``attendance_mark`` and ``lesson`` keep it equal to the marks of lessons
    held (not cancelled), so the dashboard reads thousands of rows instead of millions.
    See ``kvds_desktop.store.summaries``.
    """

    __tablename__ = "attendance_month"
    __table_args__ = {"sqlite_with_rowid": False}  # stored in key order: read in one scan

    candidate_id: int = Field(primary_key=True)
    status_id: int = Field(primary_key=True)
    month: str = Field(primary_key=True, max_length=7)  # YYYY-MM of the lesson date
    marks: int = 0
    offered_minutes: int = 0  # the marked lessons' length
    short_minutes: int = 0  # minutes late or left early recorded with the marks
