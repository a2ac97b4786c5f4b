"""Shared column helpers: stable UUIDs and UTC timestamps."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def new_uid() -> str:
    """A new stable identifier for a record that may leave the laptop in a file."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Identified(SQLModel):
    """An integer key for joins and a UUID that is stable across databases and files."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, max_length=36, unique=True)
