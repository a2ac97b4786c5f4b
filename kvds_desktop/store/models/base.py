"""Shared column helpers: stable UUIDs and UTC timestamps."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import declared_attr
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


class Versioned(SQLModel):
    """A version number that every change bumps, so a stale edit is caught, not applied.

    The mapper keeps it (``version_id_col``): an ORM UPDATE says ``WHERE version = the
    one loaded`` and raises ``StaleDataError`` when another session changed the row in
    between. Core updates bump it themselves (see ``services/conflicts.py``).
    """

    version: int = Field(default=1, sa_column_kwargs={"server_default": text("1")})

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """Tell the mapper which column holds the version."""
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
