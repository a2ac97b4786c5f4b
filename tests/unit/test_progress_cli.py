"""The ``kvds assess``, ``kvds progress`` and ``kvds export progress`` commands on the pilot."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from kvds_desktop.exchange.progress_export import headers
from kvds_desktop.exchange.tabular import read_table
from kvds_desktop.paths import AppPaths
from kvds_desktop.store.database import Database
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run


@pytest.fixture
def copy(pilot_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copy(pilot_file, target)
    return target


def _one(path: Path, sql: str) -> str:
    db = Database.open(path)
    try:
        with db.engine.connect() as conn:
            return str(conn.execute(text(sql)).scalar_one())
    finally:
        db.close()


def _b1_candidate(path: Path) -> str:
    """The client number of an active B1-route candidate in a group."""
    return _one(
        path,
        "SELECT c.klantnummer FROM candidate c JOIN group_membership m ON m.candidate_id = c.id "
        "WHERE c.status = 'actief' AND c.route = 'b1' AND m.end_date IS NULL "
        "ORDER BY c.klantnummer LIMIT 1",
    )


def test_assess_then_progress_shows_the_new_level(app_paths: AppPaths, copy: Path) -> None:
    number = _b1_candidate(copy)
    argv = ["--candidate", number, "--skill", "Reading", "--level", "C1", "--instrument", "exam"]
    saved = data(run(app_paths, copy, "--json", "assess", *argv, "--assessor", "Anna"))
    assert (saved["skill"], saved["level"], saved["date"], saved["instrument"]) == (
        "lezen", "c1", "2026-11-28", "examen",
    )  # fmt: skip
    assert saved["assessor"] == "Anna"
    shown = data(run(app_paths, copy, "--json", "progress", "--candidate", number))
    assert shown["klantnummer"] == number and shown["candidate_uid"] == saved["candidate"]
    lezen = next(f for f in shown["forecasts"] if f["skill"] == "lezen")
    assert (lezen["latest"], lezen["outlook"], lezen["reach_date"]) == (
        "c1", "reached", "2026-11-28",
    )  # fmt: skip
    assert [f["skill"] for f in shown["forecasts"]][:4] == [
        "lezen", "luisteren", "spreken", "schrijven",
    ]  # fmt: skip
    for key in ("name", "law", "route", "target", "target_source", "term_end", "hours_followed",
                "hours_in_person", "afschalen_possible", "worst", "groups"):  # fmt: skip
        assert key in shown
    code, out, err = run(app_paths, copy, "progress", "--candidate", number)
    assert code == 0, err
    assert "reading: C1, target" in out and "Outlook:" in out


@pytest.mark.parametrize(
    ("skill", "level", "stored"),
    [("lezen", "b1", ("lezen", "b1")), ("SPREKEN", "Alfa A", ("spreken", "alfa_a")),
     ("writing", "alfa-c", ("schrijven", "alfa_c")), ("gesprekken", "A2", ("gesprekken", "a2"))],
)  # fmt: skip
def test_assess_takes_codes_and_labels_in_any_case(
    app_paths: AppPaths, copy: Path, skill: str, level: str, stored: tuple[str, str]
) -> None:
    saved = data(run(app_paths, copy, "--json", "assess", "--candidate", _b1_candidate(copy),
                     "--skill", skill, "--level", level, "--date", "01-11-2026"))  # fmt: skip
    assert (saved["skill"], saved["level"], saved["date"]) == (*stored, "2026-11-01")
    assert saved["instrument"] == "voortgangstoets"


def test_a_groups_progress_lists_the_late_members_with_their_reason(
    app_paths: AppPaths, copy: Path
) -> None:
    shown = data(run(app_paths, copy, "--json", "progress", "--group", "wij-b1"))
    assert shown["group_name"] == "WIJ-B1" and shown["location"] == "Wijchen"
    assert set(shown["spread"]) >= {"lezen", "luisteren", "spreken", "schrijven"}
    rows = {r["candidate_uid"]: r for r in shown["rows"]}
    risky = [rows[uid] for uid in shown["at_risk"]]
    assert risky and {r["worst"] for r in risky} <= {"late", "stalled"}
    assert all(r["worst"] not in ("late", "stalled") for r in shown["rows"] if r not in risky)
    code, out, err = run(app_paths, copy, "progress", "--group", "WIJ-B1")
    assert code == 0, err
    head = out.split("\n\n")[0].splitlines()
    assert head[0].startswith("WIJ-B1 (Wijchen, B1):")
    assert f"{len(risky)} members will not reach the target before the term ends:" in head[2]
    listed = head[3:]
    assert len(listed) == len(risky)
    for line, row in zip(listed, risky, strict=True):
        assert line.startswith(f"  {row['name']} (")
        if row["worst"] == "late":
            assert "(term ends" in line  # the forecast date lies after the term end
        else:
            assert "no rise" in line and "not in sight" in line


def test_export_progress_writes_everyone_in_progress_or_one_group(
    app_paths: AppPaths, copy: Path, tmp_path: Path
) -> None:
    everyone = data(run(app_paths, copy, "--json", "export", "progress", "--out",
                        str(tmp_path / "alle.xlsx")))  # fmt: skip
    expected = _one(copy, "SELECT count(*) FROM candidate WHERE status IN "
                          "('aangemeld', 'intake', 'actief', 'gepauzeerd')")  # fmt: skip
    assert (everyone["rows"], everyone["format"]) == (int(expected), "xlsx")
    table = read_table(tmp_path / "alle.xlsx")
    assert table.headers == headers() and len(table.rows) == int(expected)
    code, out, err = run(app_paths, copy, "export", "progress", "--group", "DRU-A2", "--out",
                         str(tmp_path / "dru.csv"))  # fmt: skip
    assert code == 0, err
    assert out.startswith("16 candidates written to ")
    with (tmp_path / "dru.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    assert lines[0] == headers() and len(lines) == 17


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["assess", "--candidate", "{ref}", "--skill", "rekenen", "--level", "b1"],
         "Unknown skill rekenen; choose one of: lezen, luisteren"),
        (["assess", "--candidate", "{ref}", "--skill", "lezen", "--level", "B3"],
         "Unknown level B3; choose one of: Alfa A, Alfa B, Alfa C, A1"),
        (["assess", "--candidate", "{ref}", "--skill", "lezen", "--level", "b1", "--instrument",
          "gok"], "Unknown instrument gok"),
        (["assess", "--candidate", "X999", "--skill", "lezen", "--level", "b1"],
         "No candidate has the id or client number X999."),
        (["assess", "--candidate", "{ref}", "--skill", "lezen", "--level", "b1", "--date",
          "2026-11-29"], "The date 2026-11-29 lies in the future"),
        (["progress", "--candidate", "X999"], "No candidate has the id or client number X999."),
        (["progress", "--group", "WIJ-B2"], "No group is called WIJ-B2. Did you mean:"),
        (["export", "progress", "--out", "{tmp}/voortgang.pdf"],
         "use a file name ending in .csv or .xlsx"),
        (["export", "progress", "--out", "{tmp}/missing/voortgang.csv"],
         "/missing does not exist"),
        (["export", "progress", "--out", "{tmp}"], "use a file name ending in .csv or .xlsx"),
        (["export", "progress", "--out", "{tmp}/folder.xlsx"], "is a folder; give a file name"),
    ],
)  # fmt: skip
def test_bad_input_gives_a_clear_message_and_writes_nothing(
    app_paths: AppPaths, copy: Path, tmp_path: Path, argv: list[str], message: str
) -> None:
    (tmp_path / "folder.xlsx").mkdir()
    before = _one(copy, "SELECT count(*) FROM assessment")
    filled = [a.format(ref=_b1_candidate(copy), tmp=tmp_path) for a in argv]
    code, out, err = run(app_paths, copy, *filled)
    assert (code, out) == (1, "")
    assert err.startswith("kvds: ") and message in err and err.count("\n") == 1
    assert _one(copy, "SELECT count(*) FROM assessment") == before
    assert not list(tmp_path.glob("voortgang*"))


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write into any folder"
)
def test_a_read_only_folder_is_refused_before_anything_is_read(
    app_paths: AppPaths, copy: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, _out, err = run(app_paths, copy, "export", "progress", "--out",
                              str(folder / "voortgang.csv"))  # fmt: skip
    finally:
        folder.chmod(0o700)
    assert code == 1 and "cannot be written" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["progress"],  # --candidate or --group is required
        ["progress", "--candidate", "D1", "--group", "WIJ-B1"],  # not both
        ["assess", "--candidate", "D1", "--skill", "lezen"],  # no level
        ["assess", "--candidate", "D1", "--skill", "lezen", "--level", "b1", "--date", "gisteren"],
        ["export", "progress"],  # no --out
    ],
)
def test_wrong_usage_exits_with_2(app_paths: AppPaths, copy: Path, argv: list[str]) -> None:
    code, _out, _err = run(app_paths, copy, *argv)
    assert code == 2
