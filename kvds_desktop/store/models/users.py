"""The people who may work in a shared database: their login, role and municipality."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from kvds_desktop.store.models.base import Identified, utcnow


class AppUser(Identified, table=True):
    """One person allowed in the database.

    ``login`` is the server's user name (PostgreSQL's ``session_user``), or the computer
    login on a file. ``role`` is a :class:`kvds_desktop.domain.access.Role` value;
    ``municipality`` None means every municipality, else the name as candidates store it.
    A removed user is kept, inactive, so the audit trail still names them.
    """

    __tablename__ = "app_user"

    login: str = Field(max_length=120, unique=True)
    display_name: str = Field(default="", max_length=120)
    role: str = Field(max_length=20)
    municipality: str | None = Field(default=None, max_length=80)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
