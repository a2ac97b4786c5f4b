"""Closures: Dutch public holidays, and school holidays imported from messy CSV files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kvds_desktop.errors import UserError
from kvds_desktop.services import scheduling as svc
from tests.unit.scheduling_world import ACTOR, World

SEMICOLONS = """\ufeffDatum van;Tot en met;Omschrijving;Locatie;Soort
19-12-2026;03-01-2027;Kerstvakantie;;schoolvakantie

2027-02-15;2027-02-19;Voorjaarsvakantie;Wijchen;
12-10-2026;;Studiedag team;Druten;eigen
31-02-2027;01-03-2027;Foute datum;;
2027-04-01;2027-03-01;Achterstevoren;;
2027-05-03;2027-05-07;Meivakantie;Nijmegen;
2027-06-01;;;Druten;
2027-06-02;;Sportdag;;feest
"""
COMMAS = """VAN,TOT,NAAM
"26-04-2027","30-04-2027","Meivakantie, deel 1"
2027-07-19,2027-08-27,Zomervakantie
"""


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = World.create(tmp_path)
    yield built
    built.close()


def test_dutch_public_holidays_with_dutch_names() -> None:
    found = dict(svc.public_holidays([2026]))
    assert found[date(2026, 12, 25)] == "Eerste kerstdag"
    assert found[date(2026, 4, 27)] == "Koningsdag"
    assert date(2026, 5, 14) in found  # Hemelvaartsdag
    assert svc.public_holidays([]) == []


def test_public_holidays_are_added_once(world: World) -> None:
    added = svc.ensure_public_holidays(world.db, [2026, 2027], ACTOR)
    assert added == len(svc.public_holidays([2026, 2027]))
    assert svc.ensure_public_holidays(world.db, [2026, 2027], ACTOR) == 0
    christmas = [c for c in svc.list_closures(world.db, date(2026, 12, 25), date(2026, 12, 25))]
    assert [(c.name, c.kind, c.location_name) for c in christmas] == [
        ("Eerste kerstdag", "feestdag", "")
    ]


def test_import_a_messy_semicolon_file_and_again(world: World, tmp_path: Path) -> None:
    path = tmp_path / "sluitingsdagen.csv"
    path.write_text(SEMICOLONS, encoding="utf-8")
    report = svc.import_closures_csv(world.db, path, ACTOR)
    assert (report.added, report.unchanged) == (3, 0)
    assert [(row, message.split(" ")[:2]) for row, message, _ in report.rejected] == [
        (6, ["The", "date"]),
        (7, ["The", "closure"]),
        (8, ["There", "is"]),
        (9, ["The", "closure"]),
        (10, ["{value}", "is"]),
    ]
    _row, message, params = report.rejected[0]
    assert params == {"value": "31-02-2027"}
    assert message == "The date {value} is not a date (use dd-mm-jjjj or jjjj-mm-dd)."
    rows = svc.list_closures(world.db, date(2026, 1, 1), date(2027, 12, 31))
    assert [(r.date_from, r.date_to, r.name, r.kind, r.location) for r in rows] == [
        (date(2026, 10, 12), date(2026, 10, 12), "Studiedag team", "eigen", "Druten"),
        (date(2026, 12, 19), date(2027, 1, 3), "Kerstvakantie", "schoolvakantie", ""),
        (date(2027, 2, 15), date(2027, 2, 19), "Voorjaarsvakantie", "schoolvakantie", "Wijchen"),
    ]
    again = svc.import_closures_csv(world.db, path, ACTOR)
    assert (again.added, again.unchanged, len(again.rejected)) == (0, 3, 5)


def test_import_a_comma_file_with_quotes(world: World, tmp_path: Path) -> None:
    path = tmp_path / "vakanties.csv"
    path.write_bytes(COMMAS.encode("cp1252"))
    report = svc.import_closures_csv(world.db, path, ACTOR)
    assert (report.added, report.unchanged, report.rejected) == (2, 0, [])
    names = [r.name for r in svc.list_closures(world.db, date(2027, 1, 1), date(2027, 12, 31))]
    assert names == ["Meivakantie, deel 1", "Zomervakantie"]


def test_a_file_that_cannot_be_imported(world: World, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot be read"):
        svc.import_closures_csv(world.db, tmp_path / "missing.csv", ACTOR)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(UserError, match="is empty"):
        svc.import_closures_csv(world.db, empty, ACTOR)
    headless = tmp_path / "headless.csv"
    headless.write_text("19-12-2026;03-01-2027;Kerstvakantie\n", encoding="utf-8")
    with pytest.raises(UserError, match="no column"):
        svc.import_closures_csv(world.db, headless, ACTOR)
    assert svc.list_closures(world.db, date(2026, 1, 1), date(2027, 12, 31)) == []


def test_add_and_delete_a_closure(world: World) -> None:
    def add(**changes: object) -> str:
        values: dict[str, object] = {
            "date_from": date(2027, 3, 10), "date_to": date(2027, 3, 10), "name": "Studiedag",
            "kind": "eigen", "location_id": world.locations["Wijchen"],
        }  # fmt: skip
        values.update(changes)
        return svc.add_closure(world.db, actor=ACTOR, **values)  # type: ignore[arg-type]

    with pytest.raises(UserError, match="no name"):
        add(name=" ")
    with pytest.raises(UserError, match="ends before"):
        add(date_to=date(2027, 3, 9))
    with pytest.raises(UserError, match="kind of closure"):
        add(kind="feest")
    with pytest.raises(UserError, match="at most a year"):
        add(date_to=date(2028, 3, 10))
    uid = add()
    with pytest.raises(UserError, match="exists already"):
        add()
    (row,) = svc.list_closures(world.db, date(2027, 3, 1), date(2027, 3, 31))
    assert (row.uid, row.location_name) == (uid, "Wijchen")
    svc.delete_closure(world.db, uid, ACTOR)
    assert svc.list_closures(world.db, date(2027, 3, 1), date(2027, 3, 31)) == []
    with pytest.raises(UserError, match="no longer exists"):
        svc.delete_closure(world.db, uid, ACTOR)


def test_a_file_of_separators_only_is_empty(world: World, tmp_path: Path) -> None:
    path = tmp_path / "leeg.csv"
    path.write_text(";;;\n;;\n", encoding="utf-8")
    with pytest.raises(UserError, match="is empty"):
        svc.import_closures_csv(world.db, path, ACTOR)
