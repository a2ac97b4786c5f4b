"""Working offline: the database's identity, packs sent to teachers, marks received back.

Every mark that arrives by file is kept as a fact with the id it was given on the
teacher's laptop or in the workbook, so importing a file twice changes nothing and the
register can show where each mark came from. Disagreements wait in ``mark_conflict``
until the coordinator keeps one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from kvds_desktop.store.models.base import Identified, utcnow


class DatabaseInfo(SQLModel, table=True):
    """Facts about this database file: ``database_uid``, ``role`` (coordinator, teacher)."""

    __tablename__ = "database_info"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(default="", max_length=400)


class SentPack(Identified, table=True):
    """A week pack or teacher workbook the coordinator exported; ``uid`` is its pack id."""

    __tablename__ = "sent_pack"

    kind: str = Field(max_length=20)  # "pack" or "workbook"
    teacher_name: str = Field(default="", max_length=120)
    group_names: str = Field(default="", max_length=400)
    week: str = Field(max_length=10)  # ISO week, 2026-W49
    lesson_uids: str = Field(default="[]")  # JSON list of the lessons it asks marks for
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=120)


class MarkFact(Identified, table=True):
    """One mark as a file reported it; ``uid`` is the id it was given at the source.

    ``status_code`` empty means the source withdrew its mark. ``revision`` orders the
    facts of one source for one candidate in one lesson (the source's own counter, never
    a clock); ``recorded_at`` is the source's clock and only informs.
    """

    __tablename__ = "mark_fact"

    lesson_uid: str = Field(max_length=36, index=True)
    candidate_uid: str = Field(max_length=36, index=True)
    source_key: str = Field(max_length=80, index=True)
    source_label: str = Field(default="", max_length=120)
    device_id: str = Field(default="", max_length=80)
    pack_uid: str = Field(default="", max_length=36, index=True)
    file_name: str = Field(default="", max_length=200)
    file_sha256: str = Field(default="", max_length=64)
    status_code: str = Field(default="", max_length=2)
    reason: str = Field(default="", max_length=30)
    minutes: int | None = None
    note: str = Field(default="", max_length=200)
    revision: int = 0
    recorded_at: datetime | None = None
    imported_at: datetime = Field(default_factory=utcnow)


class MarkConflict(Identified, table=True):
    """Sources that disagree on one candidate in one lesson, and the coordinator's decision."""

    __tablename__ = "mark_conflict"
    __table_args__ = (
        UniqueConstraint("lesson_id", "candidate_id", name="uq_conflict_lesson_cand"),
    )

    lesson_id: int = Field(foreign_key="lesson.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    state: str = Field(default="open", max_length=10)  # open, resolved
    claims_json: str = Field(default="[]")  # the claims that disagreed
    opened_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None
    resolved_by: str = Field(default="", max_length=120)
    kept: str = Field(default="", max_length=80)  # "mine" or a source key
