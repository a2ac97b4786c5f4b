"""Test setup shared by every suite: offscreen Qt and redirected user folders."""

from __future__ import annotations

import os

# Must be set before anything imports Qt: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from kvds_desktop.paths import AppPaths
from tests import pg_support
from tests.audit_guard import AuditWatch

REFERENCE_DATE = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads or writes the real user's folders."""
    home = tmp_path / "home"
    monkeypatch.setenv("KVDS_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    yield


@pytest.fixture(autouse=True)
def _audit_watch(monkeypatch: pytest.MonkeyPatch) -> Iterator[AuditWatch]:
    """Fail a test in whose course personal data was written without an audit entry."""
    from kvds_desktop.store import database

    watch = AuditWatch()
    real = database.make_engine

    def watched(path: Path, passphrase: str | None = None) -> Engine:
        engine = real(path, passphrase)
        watch.attach(engine)
        return engine

    monkeypatch.setattr(database, "make_engine", watched)
    from kvds_desktop.store import server

    real_server = server.make_server_engine
    made: list[Engine] = []

    def watched_server(url: Any) -> Engine:
        engine = real_server(url)
        watch.attach(engine)
        made.append(engine)
        return engine

    monkeypatch.setattr(server, "make_server_engine", watched_server)
    yield watch
    # A server engine keeps a pool: close what a test left open now, not when some
    # later test happens to collect it (a ResourceWarning there would fail that test).
    for engine in made:
        engine.dispose()
    assert not watch.violations, "\n".join(watch.violations[:5])


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    """The application's folders, all below this test's temporary folder."""
    return AppPaths.under(tmp_path / "home")


@pytest.fixture
def reference_date() -> date:
    """The fixed 'today' of the tests."""
    return REFERENCE_DATE


@pytest.fixture(scope="session")
def pilot_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pilot demo database seen from REFERENCE_DATE, generated once per test run."""
    from kvds_desktop.services.demo import generate_demo
    from kvds_desktop.store.database import Database

    path = tmp_path_factory.mktemp("pilot") / "pilot.sqlite"
    db = Database.open(path, create=True)
    generate_demo(db, scale="pilot", seed=2019, today=REFERENCE_DATE)
    db.close()
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL run, skip the tests about SQLite files themselves."""
    if not pg_support.suite_on_server():
        return
    skip = pytest.mark.skip(reason="about SQLite files; runs in the SQLite pass")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg_support.TestServer]:
    """The PostgreSQL test server (skips the test when none is configured)."""
    address = pg_support.server_address()
    if address is None:
        pytest.skip(f"no PostgreSQL test server: set {pg_support.URL_ENV} (./dev.sh test does)")
    server = pg_support.TestServer(address)
    yield server
    server.close()


@pytest.fixture
def pg_url(pg_server: pg_support.TestServer) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database with this version's schema."""
    name = pg_server.new_database(pg_server.migrated_template())
    yield pg_server.url(name)
    pg_server.drop(name)


@pytest.fixture(autouse=True)
def _store_on_server(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """On the PostgreSQL run, every database a test opens by path is made on the server.

    The same path opens the same server database for the rest of the test; a file that
    exists (a copy of the pilot demo) is brought over once and cloned per test.
    Encrypted files stay files: encryption is a property of the file.
    """
    if not pg_support.suite_on_server():
        yield
        return
    from kvds_desktop.store.database import Database

    server: pg_support.TestServer = request.getfixturevalue("pg_server")
    real_open = Database.open.__func__  # type: ignore[attr-defined]
    made: dict[Path, str] = {}

    def open_on_server(cls: type[Database], path: Path, **options: Any) -> Database:
        key = Path(path).expanduser().resolve()
        if options.get("passphrase"):
            return real_open(cls, path, **options)  # type: ignore[no-any-return]
        fresh = False
        if key not in made:
            if key.is_file() and key.stat().st_size > 0:
                made[key] = server.new_database(server.template_of_file(key, real_open))
            elif options.get("create"):
                made[key] = server.new_database(server.migrated_template())
                fresh = True
            else:
                return real_open(cls, path, **options)  # type: ignore[no-any-return]
        db = cls.connect(server.url(made[key]))
        if fresh:
            db.report = replace(db.report, created=True)
        return db

    monkeypatch.setattr(Database, "open", classmethod(open_on_server))
    yield
    for name in made.values():
        server.drop(name)
