"""Errors a person can cause or fix, kept apart from bugs.

A :class:`UserError` carries an untranslated message id and its parameters; the
front end (GUI dialog or CLI line) translates it at display time, so the core
never needs to know the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


class Term(str):
    """A message parameter that is a message id itself: translated when the message is."""


class UserError(Exception):
    """Something went wrong that the user can understand and act on."""

    def __init__(self, message_id: str, **params: Any) -> None:
        super().__init__(message_id.format(**params) if params else message_id)
        self.message_id = message_id
        self.params = params

    def render(self, gettext: Callable[[str], str]) -> str:
        """Return the message in the language of ``gettext``."""
        text = gettext(self.message_id)
        if not self.params:
            return text
        params = {k: gettext(v) if isinstance(v, Term) else v for k, v in self.params.items()}
        return text.format(**params)


class StorageError(UserError):
    """The database file cannot be used as it is."""


class NotADatabase(StorageError):
    """The file exists but is not an SQLite database."""


class DatabaseCorrupt(StorageError):
    """SQLite reports the file as damaged."""


class DatabaseLocked(StorageError):
    """Another program holds a lock on the file."""


class DatabaseReadOnly(StorageError):
    """The file or its folder cannot be written."""


class DiskFull(StorageError):
    """The disk has no room left."""


class DatabaseTooNew(StorageError):
    """The file was written by a newer version of the application."""


class DatabaseMissing(StorageError):
    """The file does not exist and the command does not create one."""


class NotAKvdsDatabase(StorageError):
    """An SQLite file that is not a KVDS Desktop database."""


class DatabaseInUse(StorageError):
    """Another instance of the application has the database open."""


class DatabaseGone(StorageError):
    """The database file was removed or replaced while it was open."""


class DatabaseEncrypted(NotADatabase):
    """The file is not plain SQLite: it may be an encrypted database (ask the passphrase)."""


class WrongDatabasePassphrase(StorageError):
    """The passphrase does not open the encrypted database."""
