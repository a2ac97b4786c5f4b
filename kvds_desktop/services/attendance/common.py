"""What the attendance services share: tables, the mark row, lookups and checks.

Like the scheduling services they read and write with SQLAlchemy Core (plain tuples),
so a register, a year of figures or a million-mark export stays fast.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table on the metadata
from kvds_desktop.domain.enums import AbsenceReason
from kvds_desktop.domain.names import display_name, sort_name
from kvds_desktop.errors import N_, UserError

TABLES = SQLModel.metadata.tables
STATUS: Table = TABLES["attendance_status"]
MARK: Table = TABLES["attendance_mark"]
LESSON: Table = TABLES["lesson"]
GROUP: Table = TABLES["study_group"]
MEMBERSHIP: Table = TABLES["group_membership"]
CANDIDATE: Table = TABLES["candidate"]
KLANTMANAGER: Table = TABLES["klantmanager"]
LOCATION: Table = TABLES["location"]
TEACHER: Table = TABLES["teacher"]
KIND: Table = TABLES["activity_kind"]
AUDIT: Table = TABLES["audit_entry"]
RULE: Table = TABLES["signal_rule"]
SENT: Table = TABLES["signal_sent"]

REASONS: tuple[str, ...] = tuple(reason.value for reason in AbsenceReason)
MAX_MINUTES = 480
MARK_TABLE = "attendance_mark"
# Marks written by this application get a uid derived from lesson and candidate, so a
# mark that is cleared and entered again keeps one history.
_MARK_NAMESPACE = uuid.UUID("6f1c5d1e-2b1a-4c55-9a53-8d7b0a6e2c11")


def mark_uid(lesson_uid: str, candidate_uid: str) -> str:
    """The stable uid of the mark of a candidate in a lesson."""
    return str(uuid.uuid5(_MARK_NAMESPACE, f"{lesson_uid}/{candidate_uid}"))


@dataclass(frozen=True)
class MarkRow:
    """The current mark of a candidate in a lesson, with who recorded it, when and where."""

    uid: str
    status_id: int
    status_code: str
    reason: str
    minutes: int | None
    note: str
    recorded_by: str
    recorded_at: datetime
    source: str

    def audit_values(self) -> dict[str, Any]:
        """The fields the audit trail keeps of this mark."""
        return {
            "status": self.status_code,
            "reason": self.reason,
            "minutes": self.minutes,
            "note": self.note,
            "recorded_by": self.recorded_by,
            "source": self.source,
        }


def person_name(voornamen: str, tussenvoegsel: str | None, achternaam: str) -> str:
    """A candidate's name as lists show it."""
    return display_name(voornamen or "", tussenvoegsel, achternaam or "")


def person_sort_key(voornamen: str, tussenvoegsel: str | None, achternaam: str) -> str:
    """The key a list of candidates is sorted by (Achternaam, Voornamen)."""
    return sort_name(voornamen or "", tussenvoegsel, achternaam or "").casefold()


def lesson_hours(start: time, end: time) -> float:
    """The length of a lesson in hours."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return max(0, minutes) / 60


@dataclass(frozen=True)
class LessonFacts:
    """The columns of a lesson the attendance services need."""

    id: int
    uid: str
    group_id: int
    lesson_date: date
    cancelled: bool


def load_lesson(conn: Connection, lesson_uid: str) -> LessonFacts:
    """The lesson with ``lesson_uid``.

    Raises:
        UserError: no such lesson.
    """
    row = conn.execute(
        select(
            LESSON.c.id, LESSON.c.uid, LESSON.c.group_id, LESSON.c.lesson_date, LESSON.c.cancelled
        ).where(LESSON.c.uid == lesson_uid)
    ).first()
    if row is None:
        raise UserError(N_("This lesson no longer exists; refresh the list."))
    return LessonFacts(int(row[0]), str(row[1]), int(row[2]), row[3], bool(row[4]))


def load_candidate_id(conn: Connection, candidate_uid: str) -> int:
    """The key of the candidate with ``candidate_uid``.

    Raises:
        UserError: no such candidate.
    """
    found = conn.execute(select(CANDIDATE.c.id).where(CANDIDATE.c.uid == candidate_uid)).scalar()
    if found is None:
        raise UserError(N_("This candidate no longer exists; refresh the list."))
    return int(found)


def iso_week_key(day: date) -> str:
    """``2026-W49`` for a date in ISO week 49 of 2026."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
