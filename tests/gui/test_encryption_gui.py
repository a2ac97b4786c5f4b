"""Encryption in the window: the passphrase at opening, File > Encrypt the database."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kvds_desktop.services import maintenance
from kvds_desktop.store import cipher
from tests.gui.conftest import Harness

pytestmark = pytest.mark.sqlite_only  # about files: locks, vanishing files, backups, encryption

SECRET = "Klaar voor de Start 2026"


@pytest.fixture
def encrypted(pilot_file: Path, tmp_path: Path) -> Path:
    """A copy of the pilot database, encrypted with SECRET."""
    path = tmp_path / "kvds.sqlite"
    shutil.copy(pilot_file, path)
    maintenance.encrypt_database(path, SECRET, backup_folder=tmp_path / "none")
    return path


def test_an_encrypted_database_asks_its_passphrase(
    make_harness: Callable[..., Harness], encrypted: Path
) -> None:
    h = make_harness("en")
    h.dialogs.passphrases += ["klaar voor de start", SECRET]
    assert h.controller.open_database(encrypted)
    assert [title for title, _ in h.dialogs.asked].count("Encrypted database") == 2
    assert h.controller.db is not None and h.controller.db.encrypted
    assert "(encrypted)" in h.controller.about_text()
    assert h.window.candidates_page.table.model().rowCount() > 0


def test_giving_up_on_the_passphrase_says_what_the_file_may_be(
    make_harness: Callable[..., Harness], encrypted: Path
) -> None:
    h = make_harness("en")
    h.dialogs.passphrases += ["fout-1"]  # then cancelled
    assert not h.controller.open_database(encrypted)
    title, message = h.dialogs.errors[-1]
    assert title == "The database cannot be opened" and "passphrase" in message


def test_file_encrypt_turns_the_open_database_encrypted(
    make_harness: Callable[..., Harness], pilot_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "kvds.sqlite"
    shutil.copy(pilot_file, path)
    h = make_harness("en")
    assert h.controller.open_database(path)  # makes a plain daily backup
    plain_backups = list(h.paths.backup_dir.glob("*.sqlite"))
    assert plain_backups and not cipher.looks_encrypted(plain_backups[0])
    h.dialogs.passphrases += [SECRET, SECRET]
    h.dialogs.answers.append(True)  # delete the plain backups
    h.window.act_encrypt.trigger()
    assert h.dialogs.errors == []
    assert cipher.looks_encrypted(path)
    assert h.controller.db is not None and h.controller.db.encrypted
    assert not any(p.exists() for p in plain_backups)
    assert all(cipher.looks_encrypted(p) for p in h.paths.backup_dir.glob("*.sqlite"))


def test_two_different_passphrases_change_nothing(
    make_harness: Callable[..., Harness], pilot_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "kvds.sqlite"
    shutil.copy(pilot_file, path)
    h = make_harness("en")
    assert h.controller.open_database(path)
    h.dialogs.passphrases += [SECRET, SECRET + "!"]
    h.window.act_encrypt.trigger()
    assert "not the same" in h.dialogs.errors[-1][1]
    assert not cipher.looks_encrypted(path)
    assert h.controller.db is not None and not h.controller.db.encrypted


def test_a_short_passphrase_is_refused_and_the_database_stays_open(
    make_harness: Callable[..., Harness], pilot_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "kvds.sqlite"
    shutil.copy(pilot_file, path)
    h = make_harness("nl")
    assert h.controller.open_database(path)
    h.dialogs.passphrases += ["kort", "kort"]
    h.window.act_encrypt.trigger()
    assert "minstens 8 tekens" in h.dialogs.errors[-1][1]
    assert not cipher.looks_encrypted(path)
    assert h.controller.db is not None and not h.controller.db.encrypted
