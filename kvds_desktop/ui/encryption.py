"""The window's side of encryption at rest: the passphrase at opening, and encrypting later.

The passphrase lives only in memory while the database is open; it is never written to
the settings. See :mod:`kvds_desktop.store.cipher`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kvds_desktop.errors import DatabaseEncrypted, UserError, WrongDatabasePassphrase
from kvds_desktop.i18n import Translator
from kvds_desktop.services import maintenance
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService

TRIES = 3


class Encryption:
    """Opens encrypted databases and encrypts an open one, talking through ``dialogs``."""

    def __init__(self, dialogs: DialogService, tr: Translator) -> None:
        self.dialogs, self.tr = dialogs, tr
        self.passphrase: str | None = None  # of the database open now

    def open(self, opener: Callable[[str | None], Database]) -> Database:
        """Open with ``opener``; when the file is encrypted, ask its passphrase (3 tries).

        Raises:
            UserError: the file cannot be opened, or no right passphrase was given.
        """
        if self.passphrase:  # the database just encrypted, or reopened after a restore
            try:
                return opener(self.passphrase)
            except (WrongDatabasePassphrase, DatabaseEncrypted):
                self.passphrase = None
        try:
            db = opener(None)
        except DatabaseEncrypted as first:
            tr = self.tr
            problem: UserError = first
            for _ in range(TRIES):
                passphrase = self.dialogs.passphrase(
                    tr._("Encrypted database"),
                    tr._("This database is encrypted. Passphrase:"),
                )
                if not passphrase:
                    raise problem from None
                try:
                    db = opener(passphrase)
                except WrongDatabasePassphrase as wrong:
                    problem = wrong
                    continue
                self.passphrase = passphrase
                return db
            raise problem from None
        self.passphrase = None
        return db

    def ask_new(self) -> str | None:
        """A new passphrase, typed twice; None when cancelled or not the same twice."""
        tr = self.tr
        first = self.dialogs.passphrase(
            tr._("Encrypt the database"),
            tr._("New passphrase (8 characters or more; without it the data cannot be read):"),
        )
        if not first:
            return None
        second = self.dialogs.passphrase(tr._("Encrypt the database"),
                                         tr._("The same passphrase again:"))  # fmt: skip
        if second != first:
            self.dialogs.error(tr._("Encrypt the database"),
                               tr._("The two passphrases are not the same. Nothing was "
                                    "changed."))  # fmt: skip
            return None
        return first

    def encrypt(self, path: Path, backup_folder: Path) -> str | None:
        """Encrypt the closed database at ``path``; its new passphrase, or None."""
        tr = self.tr
        passphrase = self.ask_new()
        if passphrase is None:
            return None
        try:
            plain = maintenance.encrypt_database(path, passphrase, backup_folder=backup_folder)
        except UserError as exc:
            self.dialogs.error(tr._("Encrypt the database"), exc.render(tr._))
            return None
        if plain and self.dialogs.confirm(
            tr._("Encrypt the database"),
            tr.ngettext(
                "The database is encrypted. {n} backup made before is not encrypted and "
                "holds the same data. Delete it now?",
                "The database is encrypted. {n} backups made before are not encrypted and "
                "hold the same data. Delete them now?", len(plain),
            ).format(n=len(plain)),
        ):  # fmt: skip
            for old in plain:
                old.unlink(missing_ok=True)
        return passphrase
