"""Managing who may work in a shared database: list, add, change and remove users.

Only a coordinator of every municipality manages users (the rules of
:mod:`kvds_desktop.services.access_guard` refuse anyone else too; this module says so
first, in words). A removed user is deactivated, not deleted, so the audit trail keeps
naming them; adding them again reactivates the row. Every change is audited.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from kvds_desktop.domain.access import Role, parse_role
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services import audit, lookups
from kvds_desktop.services.access import access_of
from kvds_desktop.services.access_guard import AccessDenied
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import AppUser

MAX_LOGIN = 120


@dataclass(frozen=True)
class UserRow:
    """One user as the list shows it."""

    login: str
    display_name: str
    role: str
    municipality: str | None
    active: bool

    def as_json(self) -> dict[str, Any]:
        """The row as plain JSON values."""
        return asdict(self)


def _require_coordinator(db: Database) -> None:
    access = access_of(db)
    if access.role is not Role.COORDINATOR or not access.scope.everything:
        raise AccessDenied(
            N_("Only a coordinator of every municipality may manage users; you are "
               "{login} ({role}). Ask the coordinator.")
            , login=access.login, role=access.role.value.replace("_", " "))  # fmt: skip


def role_of(text: str) -> Role:
    """The role named ``text``.

    Raises:
        UserError: no such role.
    """
    role = parse_role(text)
    if role is None:
        raise UserError(
            N_("There is no role {role}. Choose one of: {roles}."),
            role=text, roles=", ".join(r.value for r in Role),
        )  # fmt: skip
    return role


def municipality_of(db: Database, name: str | None) -> str | None:
    """The municipality ``name`` as this database spells it (None or empty: all of them).

    Raises:
        UserError: no location or candidate is in a municipality of that name.
    """
    if name is None or not name.strip():
        return None
    known = lookups.municipalities(db)
    for spelled in known:
        if spelled.casefold() == name.strip().casefold():
            return spelled
    raise UserError(
        N_("There is no municipality {name} in this database. Known are: {names}. Add a "
           "location in that municipality first (Master data > Locations)."),
        name=name, names=", ".join(known),
    )  # fmt: skip


def _login(text: str) -> str:
    login = text.strip()
    if not login or len(login) > MAX_LOGIN or any(ch.isspace() for ch in login):
        raise UserError(
            N_("A login is the user name on the server: one word of at most {max} "
               "characters, not '{login}'."), max=MAX_LOGIN, login=text)  # fmt: skip
    return login


def _row(user: AppUser) -> UserRow:
    return UserRow(user.login, user.display_name, user.role, user.municipality, user.active)


def list_users(db: Database) -> list[UserRow]:
    """Every user, active or not, by login (everyone may see who works in the database)."""
    with db.session() as session:
        users = session.execute(select(AppUser).order_by(col(AppUser.login))).scalars().all()
        return [_row(user) for user in users]


def _values(user: AppUser) -> dict[str, Any]:
    return {"login": user.login, "display_name": user.display_name, "role": user.role,
            "municipality": user.municipality, "active": user.active}  # fmt: skip


def add_user(
    db: Database,
    login: str,
    role: str,
    actor: audit.Actor,
    *,
    municipality: str | None = None,
    display_name: str = "",
) -> UserRow:
    """Add (or reactivate) ``login`` with ``role``, limited to ``municipality`` if given.

    Raises:
        AccessDenied: the person working is not a coordinator of every municipality.
        UserError: a bad login, an unknown role or municipality, or an active user of
            that login exists already.
    """
    _require_coordinator(db)
    login, chosen = _login(login), role_of(role)
    place = municipality_of(db, municipality)
    with db.session() as session:
        user = session.execute(select(AppUser).where(col(AppUser.login) == login)).scalar()
        if user is not None and user.active:
            raise UserError(
                N_("{login} is a user already; change them with 'kvds users change'."),
                login=login,
            )
        old = _values(user) if user is not None else None
        user = user or AppUser(login=login, role=chosen.value)
        user.role, user.municipality, user.active = chosen.value, place, True
        user.display_name = display_name.strip()[:120] or user.display_name or login
        session.add(user)
        audit.record(session, actor, "user.add", "app_user", user.uid, old=old,
                     new=_values(user))  # fmt: skip
        return _row(user)


def change_user(
    db: Database,
    login: str,
    actor: audit.Actor,
    *,
    role: str | None = None,
    municipality: str | None = None,
    every_municipality: bool = False,
    display_name: str | None = None,
) -> UserRow:
    """Change the role, municipality (or all of them) or name of ``login``.

    Raises:
        AccessDenied: the person working is not a coordinator of every municipality.
        UserError: no such user, an unknown role or municipality, or the change would
            leave the database without an active coordinator of every municipality.
    """
    _require_coordinator(db)
    chosen = role_of(role) if role is not None else None
    place = municipality_of(db, municipality) if municipality is not None else None
    with db.session() as session:
        user = _existing(session, login)
        old = _values(user)
        if chosen is not None:
            user.role = chosen.value
        if every_municipality:
            user.municipality = None
        elif place is not None:
            user.municipality = place
        if display_name is not None and display_name.strip():
            user.display_name = display_name.strip()[:120]
        _keep_a_coordinator(session, user, old)
        audit.record(session, actor, "user.change", "app_user", user.uid, old=old,
                     new=_values(user))  # fmt: skip
        return _row(user)


def remove_user(db: Database, login: str, actor: audit.Actor) -> UserRow:
    """Deactivate ``login``: they can no longer work in the database.

    Raises:
        AccessDenied: the person working is not a coordinator of every municipality.
        UserError: no such user, or they are the last coordinator of every municipality.
    """
    _require_coordinator(db)
    with db.session() as session:
        user = _existing(session, login)
        old = _values(user)
        user.active = False
        _keep_a_coordinator(session, user, old)
        audit.record(session, actor, "user.remove", "app_user", user.uid, old=old,
                     new=_values(user))  # fmt: skip
        return _row(user)


def _existing(session: Any, login: str) -> AppUser:
    user = session.execute(select(AppUser).where(col(AppUser.login) == login.strip())).scalar()
    if user is None:
        raise UserError(N_("There is no user {login}; see 'kvds users list'."), login=login)
    return user


def _keep_a_coordinator(session: Any, changed: AppUser, old: dict[str, Any]) -> None:
    """Refuse a change that takes away the last active coordinator of every municipality."""
    if not (old["active"] and old["role"] == Role.COORDINATOR.value and not old["municipality"]):
        return  # was no such coordinator: nothing taken away
    session.add(changed)
    session.flush()
    left = session.execute(
        select(col(AppUser.id)).where(
            col(AppUser.active).is_(True),
            col(AppUser.role) == Role.COORDINATOR.value,
            col(AppUser.municipality).is_(None),
        )
    ).first()
    if left is None:
        raise UserError(
            N_("{login} is the last coordinator of every municipality; make someone else "
               "coordinator first. Nothing was changed."),
            login=changed.login,
        )
