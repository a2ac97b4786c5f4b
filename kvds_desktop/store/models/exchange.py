"""What the exchange with the municipality's client system remembers between imports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from kvds_desktop.store.models.base import utcnow


class ImportBaseline(SQLModel, table=True):
    """The value a field had in the last imported file, per candidate.

    When the app's value differs from it, the coordinator changed the field since
    that import, and a new file's value is a conflict, not a silent overwrite.
    """

    __tablename__ = "import_baseline"
    __table_args__ = (UniqueConstraint("candidate_id", "field", name="uq_baseline_cand_field"),)

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id")
    field: str = Field(max_length=40)
    value: str = Field(default="")
    source: str = Field(default="", max_length=200)
    imported_at: datetime = Field(default_factory=utcnow)


class ImportMapping(SQLModel, table=True):
    """A named mapping of a client system's column headers to candidate fields (JSON)."""

    __tablename__ = "import_mapping"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    kind: str = Field(default="candidates", max_length=30)
    mapping_json: str = Field(default="{}")
    created_at: datetime = Field(default_factory=utcnow)


class NotDuplicate(SQLModel, table=True):
    """Two candidates the coordinator confirmed are different people."""

    __tablename__ = "not_duplicate"
    __table_args__ = (UniqueConstraint("candidate_a_id", "candidate_b_id", name="uq_not_dup"),)

    id: int | None = Field(default=None, primary_key=True)
    candidate_a_id: int = Field(foreign_key="candidate.id")
    candidate_b_id: int = Field(foreign_key="candidate.id")
    decided_by: str = Field(default="", max_length=120)
    decided_at: datetime = Field(default_factory=utcnow)
