"""Test setup shared by every suite: offscreen Qt and redirected user folders."""

from __future__ import annotations

import os

# Must be set before anything imports Qt: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kvds_desktop.paths import AppPaths
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
    yield watch
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
