"""The scheduling commands on the pilot demo: exit statuses and the --json shapes."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import text

from kvds_desktop.paths import AppPaths
from kvds_desktop.store.database import Database
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run

LESSON_KEYS = {
    "uid", "date", "start", "end", "group", "group_uid", "location", "activity", "activity_name",
    "teacher", "room", "online", "cancelled", "cancel_reason", "from_timetable", "has_attendance",
}  # fmt: skip


@pytest.fixture
def pilot(pilot_file: Path) -> Path:
    return pilot_file


@pytest.fixture
def copy(pilot: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copy(pilot, target)
    return target


def _only_member_of(db_path: Path, group: str) -> str:
    db = Database.open(db_path)
    try:
        with db.engine.connect() as conn:
            return str(
                conn.execute(
                    text(
                        "SELECT c.klantnummer FROM candidate c "
                        "JOIN group_membership m ON m.candidate_id = c.id "
                        "JOIN study_group g ON g.id = m.group_id "
                        "WHERE g.name = :group AND m.start_date <= '2026-11-30' "
                        "AND (m.end_date IS NULL OR m.end_date >= '2026-12-04') "
                        "AND c.klantnummer IS NOT NULL "
                        "AND (SELECT count(*) FROM group_membership o "
                        "  WHERE o.candidate_id = c.id AND o.start_date <= '2026-12-04' "
                        "  AND (o.end_date IS NULL OR o.end_date >= '2026-11-30')) = 1 "
                        "ORDER BY c.klantnummer LIMIT 1"
                    ),
                    {"group": group},
                ).scalar_one()
            )
    finally:
        db.close()


def test_the_issue_form_lists_a_group_week(pilot: Path, app_paths: AppPaths) -> None:
    rows = data(
        run(app_paths, pilot, "lessons", "--group", "dru-a1", "--week", "2026-W49", "--json")
    )
    assert len(rows) == 6  # DRU-A1 meets on Monday, Wednesday and Thursday, two blocks each
    assert set(rows[0]) == LESSON_KEYS
    assert {r["group"] for r in rows} == {"DRU-A1"}
    assert [r["date"] for r in rows][:2] == ["2026-11-30", "2026-11-30"]
    assert rows[0]["start"] == "09:00" and rows[0]["from_timetable"]
    same = data(
        run(
            app_paths, pilot, "lessons", "list", "--group", "DRU-A1", "--week", "2026-W49", "--json"
        )
    )
    assert same == rows
    code, out, _ = run(app_paths, pilot, "lessons", "--group", "DRU-A1", "--week", "2026-W49")
    assert code == 0 and out.count("DRU-A1") == 6


def test_wrong_usage_and_unknown_names(pilot: Path, app_paths: AppPaths, tmp_path: Path) -> None:
    assert run(app_paths, pilot, "lessons", "--week", "2026-W49")[0] == 2
    assert run(app_paths, pilot, "lessons", "--group", "DRU-A1", "--week", "2026-W60")[0] == 2
    code, _, err = run(app_paths, pilot, "lessons", "--group", "DRU-X1", "--week", "2026-W49")
    assert code == 1 and "DRU-A1" in err
    out = str(tmp_path / "x.ics")
    assert (
        run(
            app_paths, pilot, "calendar", "--from", "2026-12-01", "--to", "2026-12-31", "--out", out
        )[0]
        == 2
    )
    code, _, err = run(app_paths, pilot, "calendar", "--teacher", "Niemand", "--from", "2026-12-01",
                       "--to", "2026-12-31", "--out", out)  # fmt: skip
    assert code == 1 and "Niemand" in err
    assert run(app_paths, pilot, "free-days", "--candidate", "0000", "--week", "2026-W49")[0] == 1


def test_conflicts(pilot: Path, app_paths: AppPaths) -> None:
    assert data(run(app_paths, pilot, "conflicts", "--json")) == []
    found = data(run(app_paths, pilot, "conflicts", "--from", "2026-12-01", "--to", "2026-12-31",
                     "--travel-minutes", "600", "--json"))  # fmt: skip
    assert found and set(found[0]) == {"kind", "date", "message", "message_id", "params", "lessons"}
    assert {c["kind"] for c in found} == {"travel"}
    code, out, _ = run(app_paths, pilot, "conflicts")
    assert code == 0 and out.startswith("No conflicts from 2026-11-28 to 2027-01-23")


def test_a_group_calendar(pilot: Path, app_paths: AppPaths, tmp_path: Path) -> None:
    out = tmp_path / "dru-a1.ics"
    result = data(run(app_paths, pilot, "calendar", "--group", "DRU-A1", "--from", "2026-12-01",
                      "--to", "2026-12-31", "--out", str(out), "--json"))  # fmt: skip
    lessons = data(run(app_paths, pilot, "lessons", "--group", "DRU-A1", "--from", "2026-12-01",
                       "--to", "2026-12-31", "--json"))  # fmt: skip
    assert result == {"out": str(out), "events": len(lessons)}
    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {f"{r['uid']}@kvds-desktop" for r in lessons}


def test_groups_with_warnings(pilot: Path, app_paths: AppPaths) -> None:
    rows = data(run(app_paths, pilot, "groups", "--json"))
    assert len(rows) == 10
    assert set(rows[0]) == {
        "uid", "name", "location", "level_band", "route", "capacity", "start", "end",
        "members_now", "over_capacity", "level_spread", "spread_warning", "provider",
    }  # fmt: skip
    warned = {r["name"] for r in rows if r["spread_warning"]}
    assert warned and all("Alfa" in name for name in warned)
    assert not data(run(app_paths, pilot, "groups", "--max-spread", "7", "--json"))[0][
        "spread_warning"
    ]


def test_free_days_of_a_candidate(pilot: Path, app_paths: AppPaths) -> None:
    number = _only_member_of(pilot, "DRU-A1")
    free = data(
        run(app_paths, pilot, "free-days", "--candidate", number, "--week", "2026-W49", "--json")
    )
    assert free == ["2026-12-01", "2026-12-04"]  # DRU-A1 meets on Monday, Wednesday, Thursday


def test_import_and_list_closures(copy: Path, app_paths: AppPaths, tmp_path: Path) -> None:
    csv = tmp_path / "vakanties.csv"
    csv.write_text(
        "van;tot;naam;locatie\n15-02-2027;19-02-2027;Voorjaarsvakantie;\n2027-02-30;;Fout;\n",
        encoding="utf-8",
    )
    report = data(run(app_paths, copy, "closures", "import", str(csv), "--json"))
    assert (report["added"], report["unchanged"]) == (1, 0)
    assert [(r["row"], r["params"]) for r in report["rejected"]] == [(3, {"value": "2027-02-30"})]
    again = data(run(app_paths, copy, "closures", "import", str(csv), "--json"))
    assert (again["added"], again["unchanged"]) == (0, 1)
    listed = data(run(app_paths, copy, "closures", "list", "--from", "2027-02-01", "--to",
                      "2027-02-28", "--json"))  # fmt: skip
    assert [(c["from"], c["name"], c["location"]) for c in listed] == [
        ("2027-02-15", "Voorjaarsvakantie", "")
    ]
    holidays = data(run(app_paths, copy, "closures", "holidays", "--year", "2030", "--json"))
    assert holidays == {"years": [2030], "added": 11}  # 5 May is a holiday every five years
    assert run(app_paths, copy, "closures", "import", str(tmp_path / "missing.csv"))[0] == 1


def test_generate_lessons(copy: Path, app_paths: AppPaths) -> None:
    argv = (
        "lessons",
        "generate",
        "--from",
        "2027-01-04",
        "--to",
        "2027-01-31",
        "--group",
        "DRU-A1",
        "--json",
    )
    first = data(run(app_paths, copy, *argv))
    assert first["created"] == 24 and first["deleted"] == 0  # 4 weeks x 3 days x 2 blocks
    assert data(run(app_paths, copy, *argv))["created"] == 0
    assert run(app_paths, copy, "lessons", "generate", "--from", "2027-01-04")[0] == 2
    assert date(2027, 1, 4).isoweekday() == 1
