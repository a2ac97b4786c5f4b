"""The ``kvds print`` commands on a copy of the pilot demo: files, versions, clear errors."""

from __future__ import annotations

import errno
import io
import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from kvds_desktop.cli import main
from kvds_desktop.paths import AppPaths
from tests.cli_support import CLI_TODAY
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run


@pytest.fixture
def copy(pilot_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copy(pilot_file, target)
    return target


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_print_week_of_a_group_writes_the_pdf(
    copy: Path, app_paths: AppPaths, tmp_path: Path
) -> None:
    out = tmp_path / "dru-a1.pdf"
    args = ("print", "week", "--group", "dru-a1", "--week", "2026-W49", "--out", str(out))
    result = data(run(app_paths, copy, *args, "--json"))
    assert result["out"] == str(out) and result["version"] == 1 and result["week"] == "2026-W49"
    text = _text(out)
    assert "DRU-A1" in text and "printed on 28 November 2026, version 1" in text
    assert "week 49, Monday 30 November to Friday 4 December 2026" in text
    assert data(run(app_paths, copy, *args, "--json"))["version"] == 1  # same content
    code, said, _ = run(app_paths, copy, *args)
    assert code == 0 and "version 1" in said and str(out) in said
    # no temporary file left behind ("home" holds the app's folders, made for the daily
    # backups of a file)
    left = sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".sqlite" and p.name != "home")
    assert left == ["dru-a1.pdf"]


def test_print_week_in_dutch(copy: Path, app_paths: AppPaths, tmp_path: Path) -> None:
    out = tmp_path / "week.pdf"
    err = io.StringIO()
    code = main(
        ["--today", CLI_TODAY.isoformat(), "--lang", "nl", "--db", str(copy), "print", "week",
         "--group", "WIJ-B1", "--week", "2026-W49", "--out", str(out)],
        paths=app_paths, out=io.StringIO(), err=err,
    )  # fmt: skip
    assert code == 0, err.getvalue()
    text = _text(out)
    assert "maandag 30 november" in text and "vrijdag 4 december 2026" in text


def test_print_a_location_all_groups_and_a_schedule(
    copy: Path, app_paths: AppPaths, tmp_path: Path
) -> None:
    out = tmp_path / "out.pdf"
    common = ("--week", "2026-W49", "--out", str(out), "--json")
    assert data(run(app_paths, copy, "print", "week", "--location", "Druten", *common))
    text = _text(out)
    assert all(name in text for name in ("DRU-Alfa", "DRU-A1", "DRU-A2", "DRU-B1"))
    assert "WIJ-B1" not in text
    sheets = data(
        run(app_paths, copy, "print", "week", "--location", "Druten", "--sheets", *common)
    )
    assert sheets["kind"] == "groups" and len(PdfReader(out).pages) == 4
    assert data(run(app_paths, copy, "print", "week", "--all", *common))["kind"] == "groups"
    assert len(PdfReader(out).pages) == 10
    members = data(run(app_paths, copy, "candidates", "list", "--json"))
    ref = next(m for m in members if m.get("klantnummer"))["klantnummer"]
    result = data(run(app_paths, copy, "print", "schedule", "--candidate", ref, *common))
    assert result["kind"] == "schedule" and len(PdfReader(out).pages) == 1


def test_clear_errors(
    copy: Path,
    app_paths: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "x.pdf"
    code, _, err = run(app_paths, copy, "print", "week", "--group", "Nowhere", "--week",
                       "2026-W49", "--out", str(out))  # fmt: skip
    assert code == 1 and "No group is called Nowhere" in err
    code, _, err = run(app_paths, copy, "print", "week", "--group", "DRU-A1", "--week", "2026-W60",
                       "--out", str(out))  # fmt: skip
    assert code == 2 and "not an ISO week" in capsys.readouterr().err  # argparse's own line
    code, _, err = run(app_paths, copy, "print", "week", "--group", "DRU-A1", "--location",
                       "Druten", "--week", "2026-W49", "--out", str(out))  # fmt: skip
    assert code == 2
    code, _, err = run(app_paths, copy, "print", "schedule", "--candidate", "X999",
                       "--week", "2026-W49", "--out", str(out))  # fmt: skip
    assert code == 1 and "X999" in err
    code, _, err = run(app_paths, copy, "print", "week", "--group", "DRU-A1", "--week", "2026-W49",
                       "--out", str(tmp_path / "missing" / "x.pdf"))  # fmt: skip
    assert code == 1 and "does not exist" in err
    code, _, err = run(app_paths, copy, "print", "week", "--group", "DRU-A1", "--week", "2026-W49",
                       "--out", str(tmp_path))  # fmt: skip
    assert code == 1 and "is a folder" in err

    def locked(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    code, _, err = run(app_paths, copy, "print", "week", "--group", "DRU-A1", "--week", "2026-W49",
                       "--out", str(out))  # fmt: skip
    assert code == 1 and "cannot be written" in err and "open in another program" in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
