"""Small lists the forms choose from: locations, klantmanagers, municipalities."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col

from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Candidate, Klantmanager, Location

DEFAULT_MUNICIPALITIES = ("Druten", "Wijchen")


def location_choices(db: Database) -> list[tuple[int, str]]:
    """(id, name) of every location, by name."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(col(Location.id), col(Location.name)).order_by(col(Location.name))
        )
        return [(int(i or 0), str(n)) for i, n in rows]


def klantmanager_choices(db: Database) -> list[tuple[int, str]]:
    """(id, 'name (municipality)') of every klantmanager, by name."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(
                col(Klantmanager.id), col(Klantmanager.name), col(Klantmanager.municipality)
            ).order_by(col(Klantmanager.name))
        )
        return [(int(i or 0), f"{n} ({m})") for i, n, m in rows]


def municipalities(db: Database) -> list[str]:
    """The municipalities of locations and candidates, Druten and Wijchen at least."""
    with db.engine.connect() as conn:
        names = set(conn.execute(select(col(Location.municipality))).scalars())
        names |= set(conn.execute(select(col(Candidate.municipality)).distinct()).scalars())
    return sorted(names | set(DEFAULT_MUNICIPALITIES))
