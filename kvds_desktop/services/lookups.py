"""Small lists the forms choose from: locations, klantmanagers, municipalities."""

from __future__ import annotations

from typing import Any

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


def activity_choices(db: Database, language: str) -> list[tuple[int, str]]:
    """(id, name in ``language``) of every activity kind, by name."""
    from kvds_desktop.store.models import ActivityKind

    name = ActivityKind.name_en if language == "en" else ActivityKind.name_nl
    with db.engine.connect() as conn:
        rows = conn.execute(select(col(ActivityKind.id), col(name)).order_by(col(name)))
        return [(int(i or 0), str(n)) for i, n in rows]


def teacher_choices(db: Database) -> list[tuple[int, str]]:
    """(id, 'name (provider)') of every active teacher, by name."""
    from kvds_desktop.store.models import Provider, Teacher

    with db.engine.connect() as conn:
        rows = conn.execute(
            select(col(Teacher.id), col(Teacher.name), col(Provider.name))
            .join(Provider, col(Provider.id) == Teacher.provider_id)
            .where(col(Teacher.active))
            .order_by(col(Teacher.name))
        )
        return [(int(i or 0), f"{n} ({p})") for i, n, p in rows]


def room_choices(db: Database, location_id: int | None = None) -> list[tuple[int, str]]:
    """(id, 'location – room') of the rooms, of one location when given."""
    from kvds_desktop.store.models import Room

    query = (
        select(col(Room.id), col(Location.name), col(Room.name))
        .join(Location, col(Location.id) == Room.location_id)
        .order_by(col(Location.name), col(Room.name))
    )
    if location_id is not None:
        query = query.where(col(Room.location_id) == location_id)
    with db.engine.connect() as conn:
        return [(int(i or 0), f"{loc} – {room}") for i, loc, room in conn.execute(query)]


def provider_choices(db: Database) -> list[tuple[int, str]]:
    """(id, name) of every provider, by name."""
    from kvds_desktop.store.models import Provider

    with db.engine.connect() as conn:
        rows = conn.execute(
            select(col(Provider.id), col(Provider.name)).order_by(col(Provider.name))
        )
        return [(int(i or 0), str(n)) for i, n in rows]


def group_choices(db: Database) -> list[tuple[str, str]]:
    """(uid, 'name (location)') of every group, by name."""
    from kvds_desktop.store.models import Group

    with db.engine.connect() as conn:
        rows = conn.execute(
            select(col(Group.uid), col(Group.name), col(Location.name))
            .join(Location, col(Location.id) == Group.location_id)
            .order_by(col(Group.name))
        )
        return [(str(u), f"{n} ({loc})") for u, n, loc in rows]


def work_candidate_choices(db: Database) -> list[tuple[str, str]]:
    """(uid, 'Achternaam, Voornamen') of the candidates in progress with a work profile."""
    from kvds_desktop.domain.names import display_name, sort_name
    from kvds_desktop.store.models import WorkProfile

    with db.engine.connect() as conn:
        rows = conn.execute(
            select(
                col(Candidate.uid), col(Candidate.voornamen), col(Candidate.tussenvoegsel),
                col(Candidate.achternaam),
            )
            .join(WorkProfile, col(WorkProfile.candidate_id) == Candidate.id)
            .where(col(Candidate.status).in_(("actief", "intake")))
            .where(col(Candidate.merged_into_id).is_(None))
        ).all()  # fmt: skip
    people = [(str(u), display_name(v, t, a), sort_name(v, t, a).casefold()) for u, v, t, a in rows]
    return [(uid, name) for uid, name, _key in sorted(people, key=lambda p: p[2])]


def candidate_list(db: Database, uids: list[str]) -> list[tuple[str, str, str, str, str]]:
    """(uid, name, client number, municipality, status) of ``uids``, by name."""
    from kvds_desktop.domain.names import display_name, sort_name

    found: list[Any] = []
    with db.engine.connect() as conn:
        for start in range(0, len(uids), 900):
            rows = conn.execute(
                select(
                    col(Candidate.uid), col(Candidate.voornamen), col(Candidate.tussenvoegsel),
                    col(Candidate.achternaam), col(Candidate.klantnummer),
                    col(Candidate.municipality), col(Candidate.status),
                ).where(col(Candidate.uid).in_(uids[start : start + 900]))
            ).all()  # fmt: skip
            found += rows
    ordered = sorted(found, key=lambda r: sort_name(r[1], r[2], r[3]).casefold())
    return [
        (str(r[0]), display_name(r[1], r[2], r[3]), r[4] or "", r[5] or "", r[6] or "")
        for r in ordered
    ]
