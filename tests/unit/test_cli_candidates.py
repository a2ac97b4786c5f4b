"""`kvds candidates ...`: every job of the Kandidaten page from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

from kvds_desktop.cli import main
from kvds_desktop.paths import AppPaths


def run(paths: AppPaths, db: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--today", "2026-11-28", "--lang", "en", "--db", str(db), *argv],
        paths=paths,
        out=out,
        err=err,
    )
    return code, out.getvalue(), err.getvalue()


def test_register_change_and_follow_a_candidate(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "kvds.sqlite"
    assert run(app_paths, db, "init")[0] == 0
    code, out, err = run(
        app_paths,
        db,
        "candidates",
        "add",
        "--voornamen",
        "Mohamed",
        "--achternaam",
        "Al Khatib",
        "--municipality",
        "Druten",
        "--klantnummer",
        "1002300",
        "--registered",
        "2024-01-10",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["uid"]
    assert (
        run(
            app_paths,
            db,
            "candidates",
            "set",
            "1002300",
            "phone=0612345678",
            "birth_date=01-02-1990",
        )[0]
        == 0
    )
    assert (
        run(app_paths, db, "candidates", "status", "1002300", "actief", "--date", "2024-01-15")[0]
        == 0
    )
    assert (
        run(
            app_paths,
            db,
            "candidates",
            "pip",
            "1002300",
            "--date",
            "2024-03-01",
            "--route",
            "b1",
            "--level",
            "b1",
        )[0]
        == 0
    )
    assert run(app_paths, db, "candidates", "note", "1002300", "Belt terug")[0] == 0
    code, out, err = run(app_paths, db, "candidates", "show", "1002300", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert record["phone"] == "0612345678" and record["birth_date"] == "1990-02-01"
    assert record["term_start"] == "2024-03-02" and record["status"] == "actief"
    assert record["notes"][0]["text"] == "Belt terug"
    code, out, err = run(
        app_paths, db, "candidates", "list", "--search", "muhammad alkhatib", "--json"
    )
    assert code == 0, err
    assert [r["name"] for r in json.loads(out)] == ["Mohamed Al Khatib"]


def test_mistakes_exit_1_with_one_line(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "kvds.sqlite"
    run(app_paths, db, "init")
    code, _, err = run(app_paths, db, "candidates", "show", "nobody")
    assert code == 1 and "No candidate has the id or client number nobody" in err
    code, _, err = run(
        app_paths,
        db,
        "candidates",
        "add",
        "--voornamen",
        "A",
        "--achternaam",
        "B",
        "--municipality",
        "Wijchen",
        "--bsn",
        "123456789",
    )
    assert code == 1 and "11-check" in err
    run(
        app_paths,
        db,
        "candidates",
        "add",
        "--voornamen",
        "A",
        "--achternaam",
        "B",
        "--municipality",
        "Wijchen",
        "--klantnummer",
        "K1",
    )
    code, _, err = run(app_paths, db, "candidates", "set", "K1", "shoe_size=44")
    assert code == 1 and "is not a field" in err
    code, _, err = run(app_paths, db, "candidates", "status", "K1", "uitgestroomd")
    assert code == 1 and "cannot go from" in err
    assert run(app_paths, db, "candidates", "status", "K1", "flying")[0] == 2


def test_duplicates_and_merge(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "kvds.sqlite"
    run(app_paths, db, "init")
    for first, number in (("Yusuf", "A1"), ("Youssef", "A2")):
        run(
            app_paths,
            db,
            "candidates",
            "add",
            "--voornamen",
            first,
            "--achternaam",
            "Abdi",
            "--municipality",
            "Druten",
            "--klantnummer",
            number,
            "--birth-date",
            "1991-01-01",
        )
    code, out, err = run(app_paths, db, "candidates", "duplicates", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 1
    assert run(app_paths, db, "candidates", "merge", "A1", "A2")[0] == 0
    code, out, err = run(app_paths, db, "candidates", "list", "--json")
    assert code == 0, err
    assert [r["klantnummer"] for r in json.loads(out)] == ["A1"]
