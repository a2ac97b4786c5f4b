"""The audit trail: who did what to which record, when, from where, with what result."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from kvds_desktop.store.models.base import Identified, utcnow


class AuditEntry(Identified, table=True):
    """One audited action. Old and new values are JSON objects of the changed fields."""

    __tablename__ = "audit_entry"

    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=120)
    device: str = Field(default="", max_length=120)
    action: str = Field(max_length=40)
    table_name: str = Field(max_length=60)
    record_uid: str = Field(default="", max_length=80, index=True)  # a uid, or uid/week
    old_values: str = Field(default="")
    new_values: str = Field(default="")
    result: str = Field(default="ok", max_length=20)
