"""Organisations, their contact log and their opportunities: list, save, deactivate.

An organisation is an employer (werkgever), a volunteer organisation (vrijwilligers),
the municipal werkbedrijf or a school (onderwijs). Each offers opportunities: volunteer
work, internships, werkervaringsplaatsen, trial placements, jobs and courses, with the
days and hours they take, the Dutch they need ("spreken=a2"), the places and the period.
The contact log keeps who spoke to whom there, when and about what.

Every change is validated first (a :class:`UserError` names what is wrong), written in
one transaction and audited. Nothing is deleted: an organisation or opportunity that
stops is deactivated, and deactivating an organisation closes its opportunities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, and_, func, or_, select
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table on the metadata
from kvds_desktop.domain.enums import Level, PlacementKind, Skill
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.conflicts import EditGuard, versioned_update
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.services.work.placements import ENDED
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

TABLES = SQLModel.metadata.tables
ORGANISATION: Table = TABLES["organisation"]
CONTACT: Table = TABLES["organisation_contact"]
OPPORTUNITY: Table = TABLES["opportunity"]
PLACEMENT: Table = TABLES["placement"]

ORGANISATION_KINDS: dict[str, str] = {
    "werkgever": N_("employer"),
    "vrijwilligers": N_("volunteer organisation"),
    "werkbedrijf": N_("werkbedrijf"),
    "onderwijs": N_("education"),
}
OPPORTUNITY_KINDS: dict[str, str] = {
    PlacementKind.VRIJWILLIGERSWERK: N_("volunteer work"),
    PlacementKind.STAGE: N_("internship"),
    PlacementKind.WERKERVARINGSPLAATS: N_("work experience place"),
    PlacementKind.PROEFPLAATSING: N_("trial placement"),
    PlacementKind.BETAALD_WERK: N_("paid job"),
    PlacementKind.OPLEIDING: N_("education"),
}
ORGANISATION_FIELDS = frozenset(
    {"name", "kind", "sector", "address", "city", "contact_name", "contact_email", "phone",
     "active"}
)  # fmt: skip
OPPORTUNITY_FIELDS = frozenset(
    {"organisation_uid", "kind", "title", "sector", "city", "days", "hours_per_week",
     "required_level", "skill_levels", "driving_licence_required", "certificates",
     "physical_work", "start_date", "end_date", "places", "description", "active"}
)  # fmt: skip
# The longest text each column holds (as in the store models).
LENGTHS = {"name": 160, "sector": 80, "address": 200, "city": 80, "contact_name": 120,
           "contact_email": 200, "phone": 40, "title": 160, "skill_levels": 120,
           "certificates": 200, "by": 120, "with_whom": 120, "subject": 200}  # fmt: skip
MAX_HOURS = 60
MAX_PLACES = 999
SKILL_ORDER = tuple(s.value for s in Skill)


@dataclass(frozen=True)
class OrganisationRow:
    """An organisation with its number of open opportunities and its last contact."""

    uid: str
    name: str
    kind: str  # a key of ORGANISATION_KINDS
    sector: str
    address: str
    city: str
    contact_name: str
    contact_email: str
    phone: str
    active: bool
    opportunities: int  # active opportunities
    last_contact: date | None


@dataclass(frozen=True)
class ContactRow:
    """A line of the contact log."""

    uid: str
    organisation_uid: str
    organisation: str
    day: date
    by: str
    with_whom: str
    subject: str
    note: str


@dataclass(frozen=True)
class OpportunityRow:
    """An opportunity with its organisation and how many places are taken now."""

    uid: str
    organisation_uid: str
    organisation: str
    kind: str  # a PlacementKind code
    title: str
    sector: str
    city: str
    days: tuple[int, ...]  # ISO weekdays
    hours_per_week: int | None
    required_level: str | None  # for every skill
    skill_levels: tuple[tuple[str, str], ...]  # (skill, minimum level)
    driving_licence_required: bool
    certificates: tuple[str, ...]
    physical_work: bool
    start_date: date | None
    end_date: date | None
    places: int
    taken: int  # running placements on it
    active: bool
    description: str


# --- validation --------------------------------------------------------------------


def _text(values: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = " ".join(str(values.get(key) or "").split())
    if required and not value:
        raise UserError(N_("Fill in the {field}."), field=key.replace("_", " "))
    most = LENGTHS.get(key)
    if most is not None and len(value) > most:
        raise UserError(
            N_("The {field} has at most {count} characters."), field=key.replace("_", " "),
            count=most,
        )  # fmt: skip
    return value


def parse_days(text: str) -> str:
    """ISO weekdays as stored ("1,3"): numbers 1 to 7, sorted, each once; "" for none.

    Raises:
        UserError: something other than weekday numbers separated by commas.
    """
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not all(p.isdigit() and 1 <= int(p) <= 7 for p in parts):
        raise UserError(
            N_("Days are weekday numbers 1 (Monday) to 7, separated by commas, not {days}."),
            days=text,
        )
    return ",".join(str(d) for d in sorted({int(p) for p in parts}))


def _level(text: str) -> str:
    try:
        return Level(text.strip().lower().replace(" ", "_")).value
    except ValueError:
        raise UserError(
            N_("Unknown level {value}; choose one of: {choices}."),
            value=text, choices=", ".join(level.value for level in Level),
        ) from None  # fmt: skip


def parse_skill_levels(text: str) -> tuple[tuple[str, str], ...]:
    """The minimum level per skill from ``"spreken=a2, luisteren=a2"``, in skill order.

    Raises:
        UserError: a part that is not ``skill=level``, an unknown skill or level, or a
            skill named twice.
    """
    found: dict[str, str] = {}
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        skill, sign, level = part.replace(":", "=").partition("=")
        skill = skill.strip().lower()
        if not sign or skill not in SKILL_ORDER:
            raise UserError(
                N_("Write a minimum level as skill=level ({choices}), not {value}."),
                choices=", ".join(SKILL_ORDER), value=part,
            )  # fmt: skip
        if skill in found:
            raise UserError(N_("The skill {skill} is named twice."), skill=skill)
        found[skill] = _level(level)
    return tuple((s, found[s]) for s in SKILL_ORDER if s in found)


def _number(values: Mapping[str, Any], key: str, low: int, high: int) -> int | None:
    """The whole number ``values[key]`` from ``low`` to ``high``; None when not given."""
    value = values.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise UserError(
            N_("The {field} must be a whole number from {low} to {high}."),
            field=key.replace("_", " "), low=low, high=high,
        )  # fmt: skip
    return value


def _check_email(email: str) -> None:
    name, at, domain = email.partition("@")
    if email and not (name and at and "." in domain.strip(".") and " " not in email):
        raise UserError(N_("{email} is not an e-mail address."), email=email)


def _clean_organisation(values: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    unknown = set(values) - ORGANISATION_FIELDS
    if unknown:
        raise ValueError(f"not organisation fields: {sorted(unknown)}")
    given = set(values) | (ORGANISATION_FIELDS if creating else set())
    clean: dict[str, Any] = {
        k: _text(values, k, required=k == "name") for k in given - {"kind", "active"}
    }
    if "kind" in given:
        clean["kind"] = str(values.get("kind") or "werkgever").strip().lower()
        if clean["kind"] not in ORGANISATION_KINDS:
            raise UserError(
                N_("Unknown kind of organisation {kind}; choose one of: {kinds}."),
                kind=clean["kind"], kinds=", ".join(ORGANISATION_KINDS),
            )  # fmt: skip
    if "active" in given:
        clean["active"] = bool(values.get("active", True))
    _check_email(clean.get("contact_email", ""))
    return clean


def _kind(value: Any) -> str:
    try:
        return PlacementKind(str(value or "").strip().lower()).value
    except ValueError:
        raise UserError(
            N_("Unknown kind of opportunity {kind}; choose one of: {kinds}."),
            kind=value or "", kinds=", ".join(k.value for k in PlacementKind),
        ) from None  # fmt: skip


def _places(values: Mapping[str, Any]) -> int:
    places = _number(values, "places", 1, MAX_PLACES)
    if places is None:
        raise UserError(N_("An opportunity has at least one place."))
    return places


def _day(values: Mapping[str, Any], key: str) -> date | None:
    value = values.get(key)
    if value is not None and not isinstance(value, date):
        raise ValueError(f"{key} must be a date, not {value!r}")
    return value


def _certificates(text: str) -> str:
    return ", ".join(
        dict.fromkeys(c.strip() for c in text.replace(";", ",").split(",") if c.strip())
    )


def _clean_opportunity(values: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    unknown = set(values) - OPPORTUNITY_FIELDS
    if unknown:
        raise ValueError(f"not opportunity fields: {sorted(unknown)}")
    v = values
    cleaners: dict[str, Callable[[], Any]] = {
        "kind": lambda: _kind(v.get("kind")),
        "title": lambda: _text(v, "title", required=True),
        "sector": lambda: _text(v, "sector"),
        "city": lambda: _text(v, "city"),
        "days": lambda: parse_days(str(v.get("days") or "")),
        "hours_per_week": lambda: _number(v, "hours_per_week", 1, MAX_HOURS),
        "required_level": lambda: _level(v["required_level"]) if v.get("required_level") else None,
        "skill_levels": lambda: ",".join(
            f"{skill}={level}" for skill, level in parse_skill_levels(_text(v, "skill_levels"))
        ),
        "driving_licence_required": lambda: bool(v.get("driving_licence_required")),
        "certificates": lambda: _certificates(_text(v, "certificates")),
        "physical_work": lambda: bool(v.get("physical_work")),
        "start_date": lambda: _day(v, "start_date"),
        "end_date": lambda: _day(v, "end_date"),
        "places": lambda: _places(v),
        "description": lambda: str(v.get("description") or "").strip(),
        "active": lambda: bool(v.get("active", True)),
    }
    return {key: clean() for key, clean in cleaners.items() if creating or key in values}


# --- shared by organisations and opportunities ---------------------------------------


def _load(conn: Connection, table: Table, uid: str, missing: str) -> Row[Any]:
    row = conn.execute(select(table).where(table.c.uid == uid)).first()
    if row is None:
        raise UserError(missing)
    return row


def _organisation(conn: Connection, uid: str) -> Row[Any]:
    missing = N_("This organisation no longer exists; refresh the list.")
    return _load(conn, ORGANISATION, uid, missing)


def _opportunity(conn: Connection, uid: str) -> Row[Any]:
    return _load(conn, OPPORTUNITY, uid, N_("This opportunity no longer exists; refresh the list."))


def _update(
    conn: Connection, guard: EditGuard, row: Row[Any], clean: Mapping[str, Any], actor: Actor,
    now: datetime,
) -> None:  # fmt: skip
    """Write the fields of ``clean`` that differ from ``row``; audited as ``<table>.update``.

    The version is checked and bumped (see ``services/conflicts.py``)."""
    table = guard.table
    old = {k: row._mapping[k] for k in clean if row._mapping[k] != clean[k]}
    if old:
        changes = {k: clean[k] for k in old}
        guard.check(conn, row.version)
        versioned_update(conn, guard, changes)
        write_audit(conn, [audit_row(actor, f"{table.name}.update", table.name, row.uid,
                                     old=old, new=changes, at=now)])  # fmt: skip


def _deactivate(conn: Connection, table: Table, rows: list[Row[Any]], actor: Actor,
                now: datetime) -> None:  # fmt: skip
    """Mark ``rows`` of ``table`` inactive; one ``<table>.deactivate`` audit row each."""
    conn.execute(
        table.update().where(table.c.id.in_([r.id for r in rows]))
        .values(active=False, version=table.c.version + 1)
    )  # fmt: skip
    write_audit(
        conn, [audit_row(actor, f"{table.name}.deactivate", table.name, r.uid,
                         old={"active": True}, new={"active": False}, at=now) for r in rows]
    )  # fmt: skip


def _find(db: Database, table: Table, name: Any, ref: str, missing: str) -> str:
    """The uid of the row with uid ``ref``, or with the name ``ref``, or one whose name
    starts with ``ref`` (case ignored); an exact name wins over longer ones."""
    text = " ".join(ref.split())
    with db.engine.connect() as conn:
        uid = conn.execute(select(table.c.uid).where(table.c.uid == text)).scalar()
        if uid is not None:
            return str(uid)
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = conn.execute(
            select(table.c.uid, name)
            .where(func.lower(name).like(escaped + "%", escape="\\"))
            .order_by(func.lower(name), table.c.id)
        ).all()
    found = [row for row in rows if row[1].lower() == text.lower()] or rows
    if not text or not found:
        raise UserError(missing, ref=ref)
    if len(found) > 1:
        raise UserError(
            N_("{ref} fits {count} records ({names}); type more of the name or use the id."),
            ref=ref, count=len(found), names="; ".join(dict.fromkeys(r[1] for r in found[:5])),
        )  # fmt: skip
    return str(found[0][0])


# --- organisations -----------------------------------------------------------------


def _check_unique_name(conn: Connection, name: str, own_id: int | None) -> None:
    query = select(ORGANISATION.c.id).where(func.lower(ORGANISATION.c.name) == name.lower())
    other = conn.execute(query).scalar()
    if other is not None and other != own_id:
        raise UserError(N_("An organisation named {name} exists already."), name=name)


def list_organisations(db: Database, *, include_inactive: bool = False) -> list[OrganisationRow]:
    """The organisations by name, with their open opportunities and last contact."""
    o, p, c = ORGANISATION.c, OPPORTUNITY.c, CONTACT.c
    opened = select(p.organisation_id, func.count().label("n")).where(p.active)
    opened_q = opened.group_by(p.organisation_id).subquery()
    last = select(c.organisation_id, func.max(c.contact_date).label("day"))
    last_q = last.group_by(c.organisation_id).subquery()
    query = (
        select(o.uid, o.name, o.kind, o.sector, o.address, o.city, o.contact_name,
               o.contact_email, o.phone, o.active,
               func.coalesce(opened_q.c.n, 0).label("opportunities"),
               last_q.c.day.label("last_contact"))
        .outerjoin(opened_q, opened_q.c.organisation_id == o.id)
        .outerjoin(last_q, last_q.c.organisation_id == o.id)
        .order_by(func.lower(o.name), o.id)
    )  # fmt: skip
    if not include_inactive:
        query = query.where(o.active)
    with db.engine.connect() as conn:
        return [OrganisationRow(**row._mapping) for row in conn.execute(query)]


def find_organisation(db: Database, ref: str) -> str:
    """The uid of the organisation with uid or name ``ref`` (or a unique start of a name).

    Raises:
        UserError: none, or more than one, fits.
    """
    return _find(db, ORGANISATION, ORGANISATION.c.name, ref, N_("No organisation is called {ref}."))


def save_organisation(
    db: Database, values: Mapping[str, Any], *, actor: Actor, now: datetime, uid: str | None = None,
    expected_version: int | None = None, loaded: Mapping[str, Any] | None = None,
) -> str:  # fmt: skip
    """Create an organisation (``uid`` None) or change the given fields of one; its uid.

    ``expected_version`` and ``loaded``: the version and values the user loaded; a
    change saved by someone else meanwhile raises ``EditConflict``.

    Raises:
        UserError: no name, a name in use, an unknown kind, a bad e-mail address or a
            text that is too long; the organisation no longer exists.
        ValueError: a key that is not an organisation field (a bug).
    """
    clean = _clean_organisation(values, creating=uid is None)
    guard = EditGuard(db, ORGANISATION, uid or "", expected=expected_version, loaded=loaded,
                      yours=clean)  # fmt: skip
    with guard.saving(), transaction(db) as conn:
        if uid is not None:
            row = _organisation(conn, uid)
            if "name" in clean:
                _check_unique_name(conn, clean["name"], row.id)
            _update(conn, guard, row, clean, actor, now)
            return uid
        _check_unique_name(conn, clean["name"], None)
        uid = new_uid()
        conn.execute(ORGANISATION.insert().values(uid=uid, **clean))
        entry = audit_row(actor, "organisation.create", "organisation", uid, new=clean, at=now)
        write_audit(conn, [entry])
    return uid


def deactivate_organisation(db: Database, uid: str, *, actor: Actor, now: datetime) -> int:
    """Mark an organisation inactive and close its open opportunities; how many closed.

    Raises:
        UserError: the organisation no longer exists or is inactive already.
    """
    with transaction(db) as conn:
        row = _organisation(conn, uid)
        if not row.active:
            raise UserError(N_("The organisation {name} is inactive already."), name=row.name)
        _deactivate(conn, ORGANISATION, [row], actor, now)
        where = and_(OPPORTUNITY.c.organisation_id == row.id, OPPORTUNITY.c.active)
        opened = list(conn.execute(select(OPPORTUNITY).where(where)))
        if opened:
            _deactivate(conn, OPPORTUNITY, opened, actor, now)
    return len(opened)


def add_contact(
    db: Database, organisation_uid: str, day: date, by: str, with_whom: str, subject: str,
    note: str, actor: Actor, *, today: date | None = None, now: datetime | None = None,
) -> str:  # fmt: skip
    """Add a line to an organisation's contact log; its uid. ``by`` defaults to the actor.

    Raises:
        UserError: no subject, a text that is too long, a date after ``today``, or the
            organisation no longer exists.
    """
    values = {"by": by or actor.name, "with_whom": with_whom, "subject": subject}
    clean = {key: _text(values, key, required=key == "subject") for key in values}
    if today is not None and day > today:
        raise UserError(N_("A contact cannot lie in the future ({date})."), date=day.isoformat())
    with transaction(db) as conn:
        org = _organisation(conn, organisation_uid)
        uid = new_uid()
        row = {"contact_date": day, "note": note.strip(), **clean}
        conn.execute(CONTACT.insert().values(uid=uid, organisation_id=org.id, **row))
        audited = {"organisation": organisation_uid, **row}
        write_audit(conn, [audit_row(actor, "organisation.contact", "organisation_contact", uid,
                                     new=audited, at=now)])  # fmt: skip
    return uid


def list_contacts(db: Database, organisation_uid: str | None = None) -> list[ContactRow]:
    """The contact log, newest first; of one organisation when ``organisation_uid`` is given."""
    c, o = CONTACT.c, ORGANISATION.c
    query = (
        select(c.uid, o.uid.label("organisation_uid"), o.name.label("organisation"),
               c.contact_date.label("day"), c.by, c.with_whom, c.subject, c.note)
        .join(ORGANISATION, o.id == c.organisation_id)
        .order_by(c.contact_date.desc(), c.id.desc())
    )  # fmt: skip
    if organisation_uid is not None:
        query = query.where(o.uid == organisation_uid)
    with db.engine.connect() as conn:
        return [ContactRow(**row._mapping) for row in conn.execute(query)]


# --- opportunities -----------------------------------------------------------------


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def list_opportunities(
    db: Database, *, today: date, organisation_uid: str | None = None,
    include_inactive: bool = False,
) -> list[OpportunityRow]:  # fmt: skip
    """Opportunities by organisation and title, with the places taken on ``today``.

    Inactive opportunities, and those that ended before ``today``, only when asked.
    """
    pl, o, org = PLACEMENT.c, OPPORTUNITY.c, ORGANISATION.c
    running = and_(pl.stage != ENDED, or_(pl.end_date.is_(None), pl.end_date >= today))
    taken = select(pl.opportunity_id, func.count().label("n")).where(running)
    taken_q = taken.group_by(pl.opportunity_id).subquery()
    query = (
        select(OPPORTUNITY, org.uid.label("organisation_uid"), org.name.label("organisation"),
               func.coalesce(taken_q.c.n, 0).label("taken"))
        .join(ORGANISATION, org.id == o.organisation_id)
        .outerjoin(taken_q, taken_q.c.opportunity_id == o.id)
        .order_by(func.lower(org.name), func.lower(o.title), o.id)
    )  # fmt: skip
    if organisation_uid is not None:
        query = query.where(org.uid == organisation_uid)
    if not include_inactive:
        query = query.where(and_(o.active, or_(o.end_date.is_(None), o.end_date >= today)))
    with db.engine.connect() as conn:
        return [_opportunity_row(r._mapping) for r in conn.execute(query)]


def _opportunity_row(r: Any) -> OpportunityRow:
    values = {k: r[k] for k in OpportunityRow.__dataclass_fields__}
    values["days"] = tuple(int(d) for d in _split(r["days"]) if d.isdigit())
    values["skill_levels"] = tuple(
        (skill, level) for skill, _, level in (p.partition("=") for p in _split(r["skill_levels"]))
    )
    values["certificates"] = _split(r["certificates"])
    return OpportunityRow(**values)


def find_opportunity(db: Database, ref: str) -> str:
    """The uid of the opportunity with uid ``ref``, or whose title starts with ``ref``.

    An exact title wins over longer titles that start with it.

    Raises:
        UserError: none, or more than one, fits.
    """
    return _find(db, OPPORTUNITY, OPPORTUNITY.c.title, ref, N_("No opportunity is called {ref}."))


def save_opportunity(
    db: Database, values: Mapping[str, Any], *, actor: Actor, now: datetime, uid: str | None = None,
    expected_version: int | None = None, loaded: Mapping[str, Any] | None = None,
) -> str:  # fmt: skip
    """Create an opportunity (``uid`` None) or change the given fields of one; its uid.

    A new opportunity takes its sector and city from the organisation when they are
    not given, and has one place unless ``places`` says otherwise. ``expected_version``
    and ``loaded`` catch a change someone else saved meanwhile (``EditConflict``).

    Raises:
        UserError: no organisation or title; an unknown kind or level; days that are
            not weekday numbers; a minimum level that is not ``skill=level``; hours or
            places out of range; an end before the start; a text that is too long;
            the organisation or opportunity no longer exists or is inactive.
        ValueError: a key that is not an opportunity field, or a date that is not one.
    """
    given = {"places": 1, **values} if uid is None else dict(values)
    clean = _clean_opportunity(given, creating=uid is None)
    guard = EditGuard(db, OPPORTUNITY, uid or "", expected=expected_version, loaded=loaded,
                      yours=clean)  # fmt: skip
    with guard.saving(), transaction(db) as conn:
        if given.get("organisation_uid"):
            org = _organisation(conn, given["organisation_uid"])
            if not org.active:
                raise UserError(N_("The organisation {name} is inactive."), name=org.name)
            clean["organisation_id"] = org.id
        elif uid is None:
            raise UserError(N_("Choose the organisation of the opportunity."))
        row = None if uid is None else _opportunity(conn, uid)
        merged: dict[str, Any] = {**(row._mapping if row is not None else {}), **clean}
        start, end = merged["start_date"], merged["end_date"]
        if start is not None and end is not None and end < start:
            raise UserError(N_("The opportunity ends before it starts."))
        if row is not None:
            _update(conn, guard, row, clean, actor, now)
            return row.uid
        clean["sector"] = clean["sector"] or org.sector
        clean["city"] = clean["city"] or org.city
        uid = new_uid()
        conn.execute(OPPORTUNITY.insert().values(uid=uid, **clean))
        audited = {"organisation": given["organisation_uid"], **clean}
        entry = audit_row(actor, "opportunity.create", "opportunity", uid, new=audited, at=now)
        write_audit(conn, [entry])
    return uid


def deactivate_opportunity(db: Database, uid: str, *, actor: Actor, now: datetime) -> None:
    """Mark an opportunity inactive: it is no longer matched or listed as open.

    Raises:
        UserError: the opportunity no longer exists or is inactive already.
    """
    with transaction(db) as conn:
        row = _opportunity(conn, uid)
        if not row.active:
            raise UserError(N_("The opportunity {title} is inactive already."), title=row.title)
        _deactivate(conn, OPPORTUNITY, [row], actor, now)
