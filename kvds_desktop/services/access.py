"""Who is working in the database, and with what role and municipality.

On a database file on a laptop the person at the computer is the coordinator of every
municipality, unless a coordinator added users to the file: then their computer login's
row counts (a file is one person's, not a security boundary). On a shared PostgreSQL
server the server's user name (``session_user``) is looked up in ``app_user``; someone
not there is refused. The very first person to connect to a server without users becomes
its coordinator for every municipality (recorded in the audit trail), so a new regional
database can be set up without a separate tool.

:func:`attach` is what the front ends call right after opening: it finds who is working
and puts the rules on the database (:mod:`kvds_desktop.services.access_guard`).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlmodel import Session, col

from kvds_desktop.domain.access import Role, Scope, restricted
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services import audit
from kvds_desktop.services.access_guard import install
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import AppUser


class AccessRefused(UserError):
    """The person connecting may not work in this database."""


@dataclass(frozen=True)
class Access:
    """The person working: their login, role and the municipalities they work for."""

    login: str
    role: Role
    scope: Scope = field(default_factory=Scope)
    display_name: str = ""

    @classmethod
    def local(cls, login: str | None = None) -> Access:
        """The one person at a laptop: coordinator of every municipality."""
        return cls(login or _computer_login(), Role.COORDINATOR, Scope())

    @property
    def municipality(self) -> str | None:
        """The one municipality in scope, or None for all of them."""
        names = self.scope.names()
        return names[0] if names else None

    @property
    def restricted(self) -> bool:
        """Whether anything is kept from this person (else there is nothing to enforce)."""
        return restricted(self.role, self.scope)


def _computer_login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "kvds"


def _of(user: AppUser) -> Access:
    return Access(user.login, Role(user.role), Scope.of(user.municipality), user.display_name)


def server_login(db: Database) -> str:
    """The user name the server knows this connection by."""
    with db.engine.connect() as conn:
        return str(conn.execute(text("SELECT session_user")).scalar_one())


def current_access(db: Database) -> Access:
    """Who is working in ``db``: see the module's description.

    Raises:
        AccessRefused: on a server, the login is not one of its users (or was removed).
    """
    if not db.is_server:
        login = _computer_login()
        with db.session() as session:
            row = session.execute(select(AppUser).where(col(AppUser.login) == login)).first()
        if row is not None and row[0].active:
            return _of(row[0])
        return Access.local(login)
    login = server_login(db)
    with db.session() as session:
        found = session.execute(select(AppUser).where(col(AppUser.login) == login)).first()
        if found is None:
            return _bootstrap_or_refuse(db, session, login)
    user = found[0]
    if not user.active:
        raise AccessRefused(
            N_("The user {login} was removed from this database. Ask the coordinator to "
               "add you again: kvds users add {login} --role ROLE --municipality NAME."),
            login=login,
        )  # fmt: skip
    return _of(user)


def _bootstrap_or_refuse(db: Database, session: Session, login: str) -> Access:
    """Make ``login`` the coordinator when the server has no users yet, else refuse."""
    if db.engine.dialect.name == "postgresql":  # two first users at once: one waits
        session.execute(text("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE"))
    users = session.execute(select(func.count()).select_from(AppUser)).scalar_one()
    if users:
        raise AccessRefused(
            N_("The server user {login} may not work in this database yet. Ask the "
               "coordinator to add you: kvds users add {login} --role ROLE "
               "--municipality NAME."),
            login=login,
        )  # fmt: skip
    user = AppUser(login=login, display_name=login, role=Role.COORDINATOR.value)
    session.add(user)
    actor = audit.Actor(login, audit.Actor.current().device)
    audit.record(session, actor, "user.bootstrap", "app_user", user.uid,
                 new={"login": login, "role": user.role, "municipality": None})  # fmt: skip
    return _of(user)


def attach(db: Database, access: Access | None = None) -> Access:
    """Find who works in ``db`` (or take ``access``) and hold their sessions to it.

    Nothing is installed for a coordinator of every municipality: they may do everything.

    Raises:
        AccessRefused: see :func:`current_access`.
    """
    access = access or current_access(db)
    if db.access is not None:
        raise RuntimeError("access is attached once, right after opening")
    db.access = access
    if access.restricted:
        install(db, access.role, access.scope)
    return access


def access_of(db: Database) -> Access:
    """The person working in ``db``: who :func:`attach` found, else the local coordinator."""
    found = db.access
    return found if isinstance(found, Access) else Access.local()
