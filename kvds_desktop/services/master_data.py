"""Master data: locations, rooms, providers, teachers and activity kinds.

Every save is validated first (a :class:`UserError` names the problem), written in
one transaction, and audited with the old and new values. Names that must be unique
are checked before writing, without regard to case, so the user gets a clear
message instead of a database error. Teachers are deactivated, never deleted; a
room can be removed only while no slot or lesson uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from kvds_desktop.domain.enums import ActivityCategory, ProviderKind
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, record
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import (
    ActivityKind,
    Lesson,
    Location,
    Provider,
    Room,
    Teacher,
    TimetableSlot,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
_CODE = re.compile(r"^\S{1,30}$")
WEEKDAYS = frozenset(range(1, 8))

M = TypeVar("M", bound=SQLModel)


# --- rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationRow:
    """A location as the master data lists show it."""

    id: int
    uid: str
    name: str
    municipality: str
    address: str
    postcode: str
    city: str
    rooms: int


@dataclass(frozen=True)
class RoomRow:
    """A room with the name of its location."""

    id: int
    uid: str
    location_id: int
    location_name: str
    name: str
    capacity: int


@dataclass(frozen=True)
class ProviderRow:
    """A provider with its contact and the number of its teachers."""

    id: int
    uid: str
    name: str
    kind: str
    contact_name: str
    contact_email: str
    teachers: int


@dataclass(frozen=True)
class TeacherRow:
    """A teacher with the name of their provider and the hours they are available."""

    id: int
    uid: str
    provider_id: int
    provider_name: str
    name: str
    email: str
    phone: str
    available_days: str
    available_from: time
    available_until: time
    active: bool


@dataclass(frozen=True)
class ActivityRow:
    """A kind of activity."""

    id: int
    code: str
    name_nl: str
    name_en: str
    category: str


# --- shared helpers ---------------------------------------------------------------------------


def _clean(value: str | None) -> str:
    """Text with surrounding and repeated inner spaces removed."""
    return " ".join((value or "").split())


def _required(value: str | None, limit: int, message: str) -> str:
    text = _clean(value)
    if not text or len(text) > limit:
        raise UserError(message)
    return text


def _optional(value: str | None, limit: int, message: str) -> str:
    text = _clean(value)
    if len(text) > limit:
        raise UserError(message)
    return text


def _email(value: str | None) -> str:
    text = (value or "").strip()
    if text and (len(text) > 200 or not _EMAIL.match(text)):
        raise UserError(N_("{value} is not an e-mail address."), value=text)
    return text


def _get(session: Session, model: type[M], id: int, missing: str) -> M:
    found = session.get(model, id)
    if found is None:
        raise UserError(missing)
    return found


def _taken(
    session: Session, model: Any, column: Any, value: str, own_id: int | None, *where: Any
) -> bool:
    """Whether a row of ``model`` other than ``own_id`` has ``value`` in ``column`` (any case)."""
    query = select(col(model.id)).where(func.lower(column) == value.lower(), *where)
    return any(other != own_id for other in session.exec(query).all())


def _write(
    session: Session,
    actor: Actor,
    table: str,
    row: SQLModel,
    values: dict[str, Any],
    *,
    new: bool,
    uid: str,
) -> None:
    """Apply ``values`` to ``row`` and audit what changed (everything for a new row)."""
    if new:
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        session.flush()
        record(
            session, actor, f"{table}.add", table, uid or str(getattr(row, "id", "")), new=values
        )
        return
    old = {k: getattr(row, k) for k, v in values.items() if getattr(row, k) != v}
    if not old:
        return
    changed = {k: values[k] for k in old}
    for key, value in changed.items():
        setattr(row, key, value)
    session.add(row)
    record(session, actor, f"{table}.update", table, uid, old=old, new=changed)


def _id(value: int | None) -> int:
    assert value is not None
    return int(value)


# --- locations --------------------------------------------------------------------------------


def list_locations(db: Database) -> list[LocationRow]:
    """Every location with its number of rooms, by name."""
    rooms = (
        select(col(Room.location_id), func.count(col(Room.id)).label("n"))
        .group_by(col(Room.location_id))
        .subquery()
    )
    with db.session() as session:
        found = session.exec(
            select(Location, rooms.c.n)
            .outerjoin(rooms, rooms.c.location_id == col(Location.id))
            .order_by(func.lower(col(Location.name)))
        ).all()
        return [
            LocationRow(
                _id(loc.id),
                loc.uid,
                loc.name,
                loc.municipality,
                loc.address,
                loc.postcode,
                loc.city,
                int(count or 0),
            )
            for loc, count in found
        ]


def save_location(
    db: Database,
    *,
    id: int | None,
    name: str,
    municipality: str,
    address: str,
    postcode: str,
    city: str,
    actor: Actor,
) -> int:
    """Add a location (``id`` None) or change one; return its id.

    Raises:
        UserError: no name or municipality, a text too long, a malformed postcode, a
            name in use, or a location that no longer exists.
    """
    code = (postcode or "").strip()
    if code:
        match = _POSTCODE.match(code)
        if match is None:
            raise UserError(N_("{value} is not a Dutch postcode (1234 AB)."), value=code)
        code = f"{match.group(1)} {match.group(2).upper()}"
    values: dict[str, Any] = {
        "name": _required(name, 80, N_("A location needs a name of at most 80 characters.")),
        "municipality": _required(
            municipality, 80, N_("A location needs a municipality of at most 80 characters.")
        ),
        "address": _optional(address, 200, N_("The address is too long (at most 200 characters).")),
        "postcode": code,
        "city": _optional(city, 80, N_("The city is too long (at most 80 characters).")),
    }
    with db.session() as session:
        location = (
            Location(name="", municipality="")
            if id is None
            else _get(session, Location, id, N_("This location does not exist; refresh the list."))
        )
        if _taken(session, Location, col(Location.name), values["name"], id):
            raise UserError(N_("There is already a location called {name}."), name=values["name"])
        _write(session, actor, "location", location, values, new=id is None, uid=location.uid)
        return _id(location.id)


# --- rooms ------------------------------------------------------------------------------------


def list_rooms(db: Database) -> list[RoomRow]:
    """Every room with its location, by location and name."""
    with db.session() as session:
        found = session.exec(
            select(Room, Location.name)
            .join(Location, col(Location.id) == col(Room.location_id))
            .order_by(func.lower(col(Location.name)), func.lower(col(Room.name)))
        ).all()
        return [
            RoomRow(_id(room.id), room.uid, room.location_id, loc, room.name, room.capacity)
            for room, loc in found
        ]


def save_room(
    db: Database, *, id: int | None, location_id: int | None, name: str, capacity: int, actor: Actor
) -> int:
    """Add a room (``id`` None) or change one; return its id.

    Raises:
        UserError: no name, a capacity outside 1-100, an unknown location, a room of
            the same name at the location, or a room that no longer exists.
    """
    values: dict[str, Any] = {
        "name": _required(name, 80, N_("A room needs a name of at most 80 characters.")),
        "capacity": capacity,
    }
    if not isinstance(capacity, int) or not 1 <= capacity <= 100:
        raise UserError(N_("The capacity is a whole number from 1 to 100."))
    if location_id is None:
        raise UserError(N_("Choose the location of the room."))
    with db.session() as session:
        _get(session, Location, location_id, N_("This location does not exist; refresh the list."))
        values["location_id"] = location_id
        room = (
            Room(location_id=location_id, name="")
            if id is None
            else _get(session, Room, id, N_("This room no longer exists; refresh the list."))
        )
        if _taken(
            session, Room, col(Room.name), values["name"], id, col(Room.location_id) == location_id
        ):
            raise UserError(
                N_("There is already a room called {name} at this location."), name=values["name"]
            )
        _write(session, actor, "room", room, values, new=id is None, uid=room.uid)
        return _id(room.id)


def delete_room(db: Database, id: int, actor: Actor) -> None:
    """Remove a room that no weekly slot and no lesson uses.

    Raises:
        UserError: the room is in use, or no longer exists.
    """
    with db.session() as session:
        room = _get(session, Room, id, N_("This room no longer exists; refresh the list."))
        slots = session.exec(
            select(func.count(col(TimetableSlot.id))).where(col(TimetableSlot.room_id) == id)
        ).one()
        lessons = session.exec(
            select(func.count(col(Lesson.id))).where(col(Lesson.room_id) == id)
        ).one()
        if slots or lessons:
            raise UserError(
                N_(
                    "Room {name} cannot be removed: {slots} weekly slots and {lessons} lessons "
                    "use it. Give them another room first."
                ),
                name=room.name,
                slots=slots,
                lessons=lessons,
            )
        old = {"location_id": room.location_id, "name": room.name, "capacity": room.capacity}
        session.delete(room)
        record(session, actor, "room.delete", "room", room.uid, old=old)


# --- providers --------------------------------------------------------------------------------


def list_providers(db: Database) -> list[ProviderRow]:
    """Every provider with its number of teachers, by name."""
    teachers = (
        select(col(Teacher.provider_id), func.count(col(Teacher.id)).label("n"))
        .group_by(col(Teacher.provider_id))
        .subquery()
    )
    with db.session() as session:
        found = session.exec(
            select(Provider, teachers.c.n)
            .outerjoin(teachers, teachers.c.provider_id == col(Provider.id))
            .order_by(func.lower(col(Provider.name)))
        ).all()
        return [
            ProviderRow(
                _id(p.id), p.uid, p.name, p.kind, p.contact_name, p.contact_email, int(n or 0)
            )
            for p, n in found
        ]


def save_provider(
    db: Database,
    *,
    id: int | None,
    name: str,
    kind: str | None,
    contact_name: str,
    contact_email: str,
    actor: Actor,
) -> int:
    """Add a provider (``id`` None) or change one; return its id.

    Raises:
        UserError: no name, an unknown kind, a malformed e-mail address, a name in use,
            or a provider that no longer exists.
    """
    if kind not in {k.value for k in ProviderKind}:
        raise UserError(N_("{value} is not a kind of provider."), value=str(kind or ""))
    values: dict[str, Any] = {
        "name": _required(name, 120, N_("A provider needs a name of at most 120 characters.")),
        "kind": kind,
        "contact_name": _optional(
            contact_name, 120, N_("The contact name is too long (at most 120 characters).")
        ),
        "contact_email": _email(contact_email),
    }
    with db.session() as session:
        provider = (
            Provider(name="", kind=kind)
            if id is None
            else _get(session, Provider, id, N_("This provider does not exist; refresh the list."))
        )
        if _taken(session, Provider, col(Provider.name), values["name"], id):
            raise UserError(N_("There is already a provider called {name}."), name=values["name"])
        _write(session, actor, "provider", provider, values, new=id is None, uid=provider.uid)
        return _id(provider.id)


# --- teachers ---------------------------------------------------------------------------------


def list_teachers(db: Database) -> list[TeacherRow]:
    """Every teacher, active or not, with their provider, by name."""
    with db.session() as session:
        found = session.exec(
            select(Teacher, Provider.name)
            .join(Provider, col(Provider.id) == col(Teacher.provider_id))
            .order_by(func.lower(col(Teacher.name)))
        ).all()
        return [
            TeacherRow(
                _id(t.id),
                t.uid,
                t.provider_id,
                provider,
                t.name,
                t.email,
                t.phone,
                t.available_days,
                t.available_from,
                t.available_until,
                bool(t.active),
            )
            for t, provider in found
        ]


def parse_days(text: str | None) -> str:
    """ISO weekday numbers typed as "1, 3,2" made into "1,2,3".

    Raises:
        UserError: a part is not a number from 1 to 7, or no day is given.
    """
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not all(part.isdigit() and int(part) in WEEKDAYS for part in parts):
        raise UserError(N_("Available days are weekday numbers 1 to 7, separated by commas."))
    if not parts:
        raise UserError(N_("Choose at least one day the teacher is available."))
    return ",".join(str(day) for day in sorted({int(part) for part in parts}))


def save_teacher(
    db: Database,
    *,
    id: int | None,
    provider_id: int | None,
    name: str,
    email: str,
    phone: str,
    available_days: str,
    available_from: time | None,
    available_until: time | None,
    active: bool,
    actor: Actor,
) -> int:
    """Add a teacher (``id`` None) or change one (``active`` False deactivates); return the id.

    Raises:
        UserError: no name, no provider, a malformed e-mail address or day list, hours
            that end before they start, a name in use, or a teacher that no longer exists.
    """
    values: dict[str, Any] = {
        "name": _required(name, 120, N_("A teacher needs a name of at most 120 characters.")),
        "email": _email(email),
        "phone": _optional(phone, 40, N_("The phone number is too long (at most 40 characters).")),
        "available_days": parse_days(available_days),
    }
    if available_from is None or available_until is None:
        raise UserError(N_("Say from and until what time the teacher is available."))
    if available_from >= available_until:
        raise UserError(N_("The teacher's available hours end before they start."))
    if provider_id is None:
        raise UserError(N_("Choose the provider of the teacher."))
    values |= {
        "available_from": available_from,
        "available_until": available_until,
        "active": bool(active),
        "provider_id": provider_id,
    }
    with db.session() as session:
        _get(session, Provider, provider_id, N_("This provider does not exist; refresh the list."))
        teacher = (
            Teacher(provider_id=provider_id, name="")
            if id is None
            else _get(session, Teacher, id, N_("This teacher no longer exists; refresh the list."))
        )
        if _taken(session, Teacher, col(Teacher.name), values["name"], id):
            raise UserError(N_("There is already a teacher called {name}."), name=values["name"])
        _write(session, actor, "teacher", teacher, values, new=id is None, uid=teacher.uid)
        return _id(teacher.id)


# --- activity kinds ---------------------------------------------------------------------------


def list_activities(db: Database) -> list[ActivityRow]:
    """Every kind of activity, by code."""
    with db.session() as session:
        found = session.exec(select(ActivityKind).order_by(col(ActivityKind.code))).all()
        return [ActivityRow(_id(a.id), a.code, a.name_nl, a.name_en, a.category) for a in found]


def save_activity(
    db: Database,
    *,
    id: int | None,
    code: str,
    name_nl: str,
    name_en: str,
    category: str | None,
    actor: Actor,
) -> int:
    """Add a kind of activity (``id`` None) or change one; return its id.

    Raises:
        UserError: a missing or malformed code, a missing name, an unknown category, a
            code in use, or an activity that no longer exists.
    """
    clean_code = (code or "").strip()
    if not _CODE.match(clean_code):
        raise UserError(N_("An activity needs a code of at most 30 characters, without spaces."))
    if category not in {c.value for c in ActivityCategory}:
        raise UserError(N_("{value} is not an activity category."), value=str(category or ""))
    values: dict[str, Any] = {
        "code": clean_code,
        "name_nl": _required(
            name_nl, 120, N_("An activity needs a Dutch name of at most 120 characters.")
        ),
        "name_en": _required(
            name_en, 120, N_("An activity needs an English name of at most 120 characters.")
        ),
        "category": category,
    }
    with db.session() as session:
        activity = (
            ActivityKind(code="", name_nl="", name_en="", category=category)
            if id is None
            else _get(
                session, ActivityKind, id, N_("This activity no longer exists; refresh the list.")
            )
        )
        if _taken(session, ActivityKind, col(ActivityKind.code), clean_code, id):
            raise UserError(
                N_("There is already an activity with the code {code}."), code=clean_code
            )
        uid = "" if id is None else str(id)
        _write(session, actor, "activity_kind", activity, values, new=id is None, uid=uid)
        return _id(activity.id)
