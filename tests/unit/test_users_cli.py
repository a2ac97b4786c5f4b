"""``kvds users``: list, add, change and remove the people who work in a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from kvds_desktop.paths import AppPaths
from kvds_desktop.services.access import current_access
from kvds_desktop.store.database import Database
from tests.cli_support import json_result, run_cli


@pytest.fixture
def db_file(app_paths: AppPaths, tmp_path: Path) -> Path:
    path = tmp_path / "region.sqlite"
    assert run_cli(app_paths, path, "init")[0] == 0
    return path


def _my_login(path: Path) -> str:
    """Who the CLI works as: the computer login on a file, the server user on a server."""
    db = Database.open(path)
    try:
        return current_access(db).login
    finally:
        db.close()


def test_add_list_change_remove(app_paths: AppPaths, db_file: Path) -> None:
    me = _my_login(db_file)
    added = json_result(run_cli(app_paths, db_file, "users", "add", "amira", "--role",
                                "job-coach", "--municipality", "druten", "--name", "Amira B.",
                                "--json"))  # fmt: skip
    assert added == {"login": "amira", "display_name": "Amira B.", "role": "job_coach",
                     "municipality": "Druten", "active": True}  # fmt: skip
    listed = json_result(run_cli(app_paths, db_file, "users", "list", "--json"))
    assert "amira" in [row["login"] for row in listed]
    code, out, err = run_cli(app_paths, db_file, "users", "change", "amira", "--role",
                             "teacher", "--all-municipalities")  # fmt: skip
    assert code == 0, err
    assert "teacher" in out and "all municipalities" in out
    code, out, err = run_cli(app_paths, db_file, "users", "remove", "amira")
    assert code == 0, err
    assert "amira can no longer work in this database." in out
    code, out, _err = run_cli(app_paths, db_file, "users", "list")
    assert "(removed)" in out
    assert me  # the person running the commands


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("add", "amira", "--role", "admin"), "There is no role admin"),
        (("add", "amira", "--role", "teacher", "--municipality", "Atlantis"),
         "There is no municipality Atlantis"),
        (("add", "two words", "--role", "teacher"), "one word"),
        (("change", "nobody", "--role", "teacher"), "There is no user nobody"),
        (("remove", "nobody"), "There is no user nobody"),
    ],
)  # fmt: skip
def test_bad_input(app_paths: AppPaths, db_file: Path, argv: tuple[str, ...],
                   message: str) -> None:  # fmt: skip
    code, out, err = run_cli(app_paths, db_file, "users", *argv)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err


def test_usage_errors(app_paths: AppPaths, db_file: Path) -> None:
    assert run_cli(app_paths, db_file, "users", "add", "amira")[0] == 2  # no --role
    assert run_cli(app_paths, db_file, "users", "change", "amira", "--municipality",
                   "Druten", "--all-municipalities")[0] == 2  # fmt: skip


def test_adding_twice_is_refused(app_paths: AppPaths, db_file: Path) -> None:
    assert run_cli(app_paths, db_file, "users", "add", "amira", "--role", "teacher")[0] == 0
    code, _out, err = run_cli(app_paths, db_file, "users", "add", "amira", "--role", "teacher")
    assert code == 1 and "amira is a user already" in err


def test_only_a_coordinator_manages_users(app_paths: AppPaths, db_file: Path) -> None:
    me = _my_login(db_file)
    assert run_cli(app_paths, db_file, "users", "add", "boss", "--role", "coordinator")[0] == 0
    if run_cli(app_paths, db_file, "users", "add", me, "--role", "coordinator")[0] != 0:
        pass  # on a server the first user is already there (made coordinator on first use)
    code, _out, err = run_cli(app_paths, db_file, "users", "change", me, "--role", "teacher")
    assert code == 0, err
    code, _out, err = run_cli(app_paths, db_file, "users", "add", "amira", "--role", "teacher")
    assert code == 1 and "Only a coordinator of every municipality may manage users" in err
    code, _out, err = run_cli(app_paths, db_file, "users", "remove", "boss")
    assert code == 1 and "Only a coordinator" in err
    # a teacher still reads the list
    listed = json_result(run_cli(app_paths, db_file, "users", "list", "--json"))
    assert {row["login"]: row["role"] for row in listed}[me] == "teacher"


def test_the_last_coordinator_stays(app_paths: AppPaths, db_file: Path) -> None:
    me = _my_login(db_file)
    run_cli(app_paths, db_file, "users", "add", me, "--role", "coordinator")
    code, _out, err = run_cli(app_paths, db_file, "users", "remove", me)
    assert code == 1 and "last coordinator of every municipality" in err
    code, _out, err = run_cli(app_paths, db_file, "users", "change", me, "--municipality",
                              "Wijchen")  # fmt: skip
    assert code == 1 and "last coordinator" in err
