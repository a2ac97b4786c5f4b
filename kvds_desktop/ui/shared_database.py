"""Connecting the window to a shared database on a PostgreSQL server.

The address (``postgresql://anna@server/kvds``) comes from IT; it is remembered like a
file, but never with a password: when the server asks for one and the address holds
none, the person types it, and it lives only in this window's memory (or in the
server's password file, ``~/.pgpass``, where IT sets one up).
"""

from __future__ import annotations

from kvds_desktop.domain.access import Role
from kvds_desktop.i18n import Translator
from kvds_desktop.services.access import access_of
from kvds_desktop.services.access_guard import ROLE_NAMES
from kvds_desktop.store.database import Database
from kvds_desktop.store.location import server_url, shown
from kvds_desktop.store.server import ServerAccessDenied
from kvds_desktop.ui.dialogs import DialogService


class SharedDatabase:
    """Asks for the address and the password; connects."""

    def __init__(self, dialogs: DialogService, tr: Translator) -> None:
        self.dialogs = dialogs
        self.tr = tr
        self._passwords: dict[str, str] = {}  # shown address -> password, this session only

    def ask_address(self) -> str | None:
        """The address of a shared database, as typed (None: cancelled or empty)."""
        text = self.dialogs.text(
            self.tr._("Connect to a shared database"),
            self.tr._(
                "Address of the shared database, as IT gives it, for example\n"
                "postgresql://anna@kvds-server.gemeente.nl/kvds"
            ),
        )
        return text.strip() if text and text.strip() else None

    def connect(self, address: str) -> Database:
        """Connect to ``address``, asking for the password when the server wants one.

        Raises:
            UserError: a wrong address, a server that does not answer or refuses, a
                cancelled password question (the server's refusal is raised then).
        """
        url = server_url(address)
        where = shown(url)
        if url.password is None and where in self._passwords:
            url = url.set(password=self._passwords[where])
        try:
            return Database.connect(url)
        except ServerAccessDenied:
            if url.password is not None and where not in self._passwords:
                raise
            password = self.dialogs.passphrase(
                self.tr._("Connect to a shared database"),
                self.tr._("Password of {user} for {where}:").format(
                    user=url.username or "?", where=where
                ),
            )
            if not password:
                raise
            db = Database.connect(url.set(password=password))
            self._passwords[where] = password
            return db

    def explain_no_files(self) -> None:
        """Say why backups, restore and encryption are not offered on a server."""
        self.dialogs.info(
            self.tr._("Shared database"),
            self.tr._(
                "This is a shared database on a server: IT backs it up and protects it "
                "there. For a copy in a file, use 'kvds migrate-store'."
            ),
        )


def role_name(role: Role, tr: Translator) -> str:
    """A role as people call it, in the window's language."""
    return tr._(ROLE_NAMES[role])


def who_works(db: Database, tr: Translator) -> str:
    """For the status bar: who works in a shared (or restricted) database, and where."""
    person = access_of(db)
    if not db.is_server and not person.restricted:
        return ""
    scope = person.municipality or tr._("all municipalities")
    return " · " + tr._("{login}, {role}, {scope}").format(
        login=person.display_name or person.login, role=role_name(person.role, tr), scope=scope
    )
