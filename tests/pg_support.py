"""A PostgreSQL server for the tests: throwaway databases made from migrated templates.

``KVDS_TEST_POSTGRES`` holds the address of a server the tests may use freely (CI starts
a throwaway cluster on loopback: ``tests/pg_cluster.py``), as the URL of its maintenance
database. With ``KVDS_TEST_STORE=postgresql`` as well, the whole suite runs on that
server: every database a test opens by path is made on the server instead (see
``tests/conftest.py``), from a template that holds the migrated schema, or, for a file
that already exists (the pilot demo a fixture generated), a copy of that file made once
with the application's own ``copy_database`` and then cloned per test.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

URL_ENV = "KVDS_TEST_POSTGRES"
MODE_ENV = "KVDS_TEST_STORE"


def server_address() -> str | None:
    """The test server's maintenance URL, when one is configured."""
    return os.environ.get(URL_ENV) or None


def suite_on_server() -> bool:
    """Whether the whole suite runs on the PostgreSQL server."""
    return os.environ.get(MODE_ENV, "sqlite") == "postgresql" and server_address() is not None


class TestServer:
    """Makes and drops databases on the test server; every name carries this process's id."""

    __test__ = False  # not a test class

    def __init__(self, admin_url: str) -> None:
        self._url = make_url(admin_url)
        self._admin = create_engine(self._url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self._prefix = f"kvdst_{os.getpid()}_{worker}"
        self._numbers = itertools.count(1)
        self._templates: dict[str, str] = {}
        self._made: list[str] = []

    def url(self, name: str) -> str:
        """The URL of database ``name`` on the test server."""
        return self._url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(sql))

    def new_database(self, template: str | None = None) -> str:
        """A new database (a copy of ``template``, else empty); returns its name."""
        name = f"{self._prefix}_{next(self._numbers)}"
        like = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        self._execute(f"CREATE DATABASE {name}{like}")
        self._made.append(name)
        return name

    def drop(self, name: str) -> None:
        """Drop database ``name`` (closing whatever still holds it)."""
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def migrated_template(self) -> str:
        """A database with this version's schema and nothing else, made once."""
        from kvds_desktop.store.database import Database

        if "" not in self._templates:
            name = self.new_database()
            Database.connect(self.url(name)).close()
            self._templates[""] = name
        return self._templates[""]

    def template_of_file(self, path: Path, open_file: object) -> str:
        """A database holding what the SQLite file ``path`` holds, made once per content."""
        from kvds_desktop.services.store_move import copy_database
        from kvds_desktop.store.database import Database

        content = hashlib.sha256(path.read_bytes())
        wal = Path(f"{path}-wal")  # changes a connection still open has not yet checkpointed
        if wal.is_file():
            content.update(wal.read_bytes())
        digest = content.hexdigest()
        if digest not in self._templates:
            name = self.new_database(self.migrated_template())
            source = open_file(Database, path)  # type: ignore[operator]
            target = Database.connect(self.url(name))
            try:
                copy_database(source, target)
            finally:
                source.close()
                target.close()
            self._templates[digest] = name
        return self._templates[digest]

    def close(self) -> None:
        """Drop every database this process made."""
        for name in reversed(self._made):
            self.drop(name)
        self._admin.dispose()
