"""Language assessments, exam parts with attempts, and module progress."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field

from kvds_desktop.store.models.base import Identified


class Assessment(Identified, table=True):
    """A measured level on one skill at one date."""

    __tablename__ = "assessment"
    # the latest level per candidate and skill is found in this index alone
    __table_args__ = (Index("ix_assessment_latest", "candidate_id", "skill", "assessed_on"),)

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    skill: str = Field(max_length=20)
    level: str = Field(max_length=10)
    assessed_on: date
    method: str = Field(max_length=20)
    assessor: str = Field(default="", max_length=120)
    note: str = Field(default="")


class ExamPart(Identified, table=True):
    """An exam part a candidate must do, its target and any exemption."""

    __tablename__ = "exam_part"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    part: str = Field(max_length=20)
    target_level: str | None = Field(default=None, max_length=10)
    exemption: str = Field(default="geen", max_length=20)
    exemption_date: date | None = None
    exemption_reason: str = Field(default="")


class ExamAttempt(Identified, table=True):
    """One attempt at an exam part."""

    __tablename__ = "exam_attempt"

    exam_part_id: int = Field(foreign_key="exam_part.id", index=True)
    exam_date: date
    result: str = Field(max_length=10)
    score: float | None = None
    level: str | None = Field(default=None, max_length=10)


class ModuleProgress(Identified, table=True):
    """Progress on one item of MAP, ONA or PVT (a theme, a result card, hours)."""

    __tablename__ = "module_progress"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    module: str = Field(max_length=10)
    item: str = Field(max_length=60)
    hours: float = 0
    completed_on: date | None = None
    note: str = Field(default="")
