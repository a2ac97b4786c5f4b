"""Where a database lives: a SQLite file on this computer, or a PostgreSQL server.

Everything that takes a database from a person (``--db``, Settings, the recent list)
takes either: a path, or a URL such as ``postgresql+psycopg://anna@db.gemeente.nl/kvds``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from kvds_desktop.errors import N_, UserError

SERVER_DRIVER = "postgresql+psycopg"


class BadDatabaseUrl(UserError):
    """A database URL that KVDS Desktop cannot use."""


def is_server(location: str | Path) -> bool:
    """Whether ``location`` names a database server rather than a file."""
    return isinstance(location, str) and location.strip().lower().startswith("postgres")


def server_url(text: str) -> URL:
    """The URL of a PostgreSQL database, checked; ``postgresql://`` gets the psycopg driver."""
    try:
        url = make_url(text.strip())
    except ArgumentError:
        url = None
    if url is None or url.get_backend_name() != "postgresql":
        raise BadDatabaseUrl(
            N_("'{url}' is not a database address KVDS Desktop can use. Write it as "
               "postgresql+psycopg://user@server/database, or give the path of a file."),
            url=text,
        )  # fmt: skip
    if url.drivername != SERVER_DRIVER:
        url = url.set(drivername=SERVER_DRIVER)
    if not url.database:
        raise BadDatabaseUrl(
            N_("The address '{url}' names no database. Add it after the server, as in "
               "postgresql+psycopg://user@server/kvds."),
            url=text,
        )  # fmt: skip
    return url


def shown(url: URL) -> str:
    """The URL as people may see it: never with its password."""
    return url.render_as_string(hide_password=True).replace(f"{SERVER_DRIVER}://", "postgresql://")


def shown_location(location: str | Path) -> str:
    """A path, or a server address without its password, as people may see it."""
    if not is_server(location):
        return str(location)
    try:
        return shown(server_url(str(location)))
    except BadDatabaseUrl:
        return str(location).split("@")[-1]
