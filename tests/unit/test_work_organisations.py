"""Organisations, the contact log and opportunities: validation, audit, lists, commands."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kvds_desktop.errors import UserError
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.work import organisations as orgs
from kvds_desktop.store.database import Database
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
ACTOR = Actor("coordinator", "laptop")
TODAY = date(2026, 11, 28)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "work.sqlite", create=True)
    yield database
    database.close()


@pytest.fixture
def copy(pilot_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copy(pilot_file, target)
    return target


def _actions(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.execute(text("SELECT action FROM audit_entry ORDER BY id")).scalars())


def _organisation(db: Database, **values: Any) -> str:
    fields = {"name": "Bakkerij De Korenbloem", "kind": "werkgever", "sector": "horeca",
              "city": "Druten", **values}  # fmt: skip
    return orgs.save_organisation(db, fields, actor=ACTOR, now=NOW)


def _opportunity(db: Database, org: str, **values: Any) -> str:
    fields = {"organisation_uid": org, "kind": "stage", "title": "Stage bakkerijmedewerker",
              "days": "3, 1", "hours_per_week": 16, "places": 2, **values}  # fmt: skip
    return orgs.save_opportunity(db, fields, actor=ACTOR, now=NOW)


def test_save_list_and_change_an_organisation(db: Database) -> None:
    uid = _organisation(db, contact_email="info@korenbloem.example", address="Kerkstraat  1")
    [row] = orgs.list_organisations(db)
    assert (row.uid, row.name, row.kind, row.address, row.active) == (
        uid, "Bakkerij De Korenbloem", "werkgever", "Kerkstraat 1", True,
    )  # fmt: skip
    assert (row.opportunities, row.last_contact) == (0, None)
    orgs.save_organisation(db, {"kind": "Vrijwilligers", "city": "Wijchen"}, actor=ACTOR,
                           now=NOW, uid=uid)  # fmt: skip
    orgs.save_organisation(db, {"city": "Wijchen"}, actor=ACTOR, now=NOW, uid=uid)  # no change
    [row] = orgs.list_organisations(db)
    assert (row.kind, row.city, row.sector) == ("vrijwilligers", "Wijchen", "horeca")
    assert _actions(db) == ["organisation.create", "organisation.update"]
    assert orgs.find_organisation(db, "bakkerij") == uid
    assert orgs.find_organisation(db, uid) == uid


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": "  "}, "Fill in the name"),
        ({"kind": "bank"}, "Unknown kind of organisation bank"),
        ({"contact_email": "info at example"}, "is not an e-mail address"),
        ({"name": "x" * 161}, "at most 160 characters"),
    ],
)
def test_organisation_validation(db: Database, values: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError, match=message):
        _organisation(db, **values)
    assert orgs.list_organisations(db, include_inactive=True) == []


def test_organisation_names_are_unique_and_lookups_must_be_clear(db: Database) -> None:
    first = _organisation(db)
    _organisation(db, name="Bakkerij Het Korenaartje")
    with pytest.raises(UserError, match="exists already"):
        _organisation(db, name="bakkerij de korenbloem")
    with pytest.raises(UserError, match="fits 2 records"):
        orgs.find_organisation(db, "Bakkerij")
    with pytest.raises(UserError, match="No organisation is called Slagerij"):
        orgs.find_organisation(db, "Slagerij")
    assert orgs.find_organisation(db, "bakkerij de") == first
    with pytest.raises(ValueError, match="not organisation fields"):
        orgs.save_organisation(db, {"colour": "red"}, actor=ACTOR, now=NOW)


def test_the_contact_log(db: Database) -> None:
    uid = _organisation(db)
    orgs.add_contact(db, uid, date(2026, 11, 2), "", "Petra Jansen", "Stageplek", "", ACTOR)
    orgs.add_contact(db, uid, date(2026, 11, 20), "Anna", "Petra Jansen", "Evaluatie",
                     " goed gesprek ", ACTOR, today=TODAY, now=NOW)  # fmt: skip
    log = orgs.list_contacts(db, uid)
    assert [(c.day, c.by, c.subject, c.note) for c in log] == [
        (date(2026, 11, 20), "Anna", "Evaluatie", "goed gesprek"),
        (date(2026, 11, 2), "coordinator", "Stageplek", ""),
    ]  # fmt: skip
    assert orgs.list_organisations(db)[0].last_contact == date(2026, 11, 20)
    with pytest.raises(UserError, match="future"):
        orgs.add_contact(db, uid, date(2026, 12, 1), "", "Petra", "Later", "", ACTOR, today=TODAY)
    with pytest.raises(UserError, match="Fill in the subject"):
        orgs.add_contact(db, uid, TODAY, "", "Petra", " ", "", ACTOR)
    with pytest.raises(UserError, match="no longer exists"):
        orgs.add_contact(db, "gone", TODAY, "", "Petra", "Iets", "", ACTOR)
    assert _actions(db).count("organisation.contact") == 2


def test_save_and_list_an_opportunity(db: Database) -> None:
    org = _organisation(db)
    uid = _opportunity(
        db, org, skill_levels="Spreken = A2; lezen:a1", required_level="A1",
        certificates="VCA, HACCP, VCA", start_date=date(2026, 12, 1), end_date=date(2027, 6, 30),
    )  # fmt: skip
    [row] = orgs.list_opportunities(db, today=TODAY)
    assert (row.uid, row.organisation_uid, row.kind, row.days, row.hours_per_week) == (
        uid, org, "stage", (1, 3), 16,
    )  # fmt: skip
    assert row.skill_levels == (("lezen", "a1"), ("spreken", "a2"))
    assert (row.required_level, row.certificates, row.places, row.taken) == (
        "a1", ("VCA", "HACCP"), 2, 0,
    )  # fmt: skip
    assert (row.sector, row.city) == ("horeca", "Druten")  # from the organisation
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT days, skill_levels FROM opportunity")).one()
    assert tuple(stored) == ("1,3", "lezen=a1,spreken=a2")
    orgs.save_opportunity(db, {"places": 3, "days": ""}, actor=ACTOR, now=NOW, uid=uid)
    [row] = orgs.list_opportunities(db, today=TODAY)
    assert (row.places, row.days) == (3, ())
    assert orgs.list_organisations(db)[0].opportunities == 1
    assert orgs.find_opportunity(db, "stage bakk") == uid
    assert _actions(db) == ["organisation.create", "opportunity.create", "opportunity.update"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"title": ""}, "Fill in the title"),
        ({"kind": "baan"}, "Unknown kind of opportunity baan"),
        ({"days": "ma,di"}, "Days are weekday numbers"),
        ({"days": "1,8"}, "Days are weekday numbers"),
        ({"skill_levels": "spreken"}, "skill=level"),
        ({"skill_levels": "zingen=a2"}, "skill=level"),
        ({"skill_levels": "spreken=a3"}, "Unknown level a3"),
        ({"skill_levels": "spreken=a2,spreken=b1"}, "named twice"),
        ({"required_level": "z9"}, "Unknown level z9"),
        ({"places": 0}, "places must be a whole number from 1"),
        ({"places": None}, "at least one place"),
        ({"places": True}, "places must be a whole number"),
        ({"hours_per_week": 61}, "hours per week must be a whole number from 1 to 60"),
        ({"start_date": date(2027, 1, 1), "end_date": date(2026, 12, 1)}, "ends before it starts"),
        ({"organisation_uid": None}, "Choose the organisation"),
    ],
)
def test_opportunity_validation(db: Database, values: dict[str, Any], message: str) -> None:
    org = _organisation(db)
    with pytest.raises(UserError, match=message):
        _opportunity(db, org, **values)
    assert orgs.list_opportunities(db, today=TODAY, include_inactive=True) == []


def test_changing_an_opportunity_checks_the_period_with_what_is_stored(db: Database) -> None:
    uid = _opportunity(db, _organisation(db), start_date=date(2026, 12, 1))
    with pytest.raises(UserError, match="ends before it starts"):
        orgs.save_opportunity(db, {"end_date": date(2026, 11, 1)}, actor=ACTOR, now=NOW, uid=uid)
    with pytest.raises(UserError, match="no longer exists"):
        orgs.save_opportunity(db, {"places": 2}, actor=ACTOR, now=NOW, uid="gone")


def test_deactivating(db: Database) -> None:
    org = _organisation(db)
    first = _opportunity(db, org)
    _opportunity(db, org, title="Vacature bakker", kind="betaald_werk")
    orgs.deactivate_opportunity(db, first, actor=ACTOR, now=NOW)
    assert [r.title for r in orgs.list_opportunities(db, today=TODAY)] == ["Vacature bakker"]
    assert len(orgs.list_opportunities(db, today=TODAY, include_inactive=True)) == 2
    with pytest.raises(UserError, match="inactive already"):
        orgs.deactivate_opportunity(db, first, actor=ACTOR, now=NOW)
    assert orgs.deactivate_organisation(db, org, actor=ACTOR, now=NOW) == 1
    assert orgs.list_organisations(db) == [] and orgs.list_opportunities(db, today=TODAY) == []
    assert not orgs.list_organisations(db, include_inactive=True)[0].active
    with pytest.raises(UserError, match="is inactive"):
        _opportunity(db, org, title="Nog een stage")
    assert _actions(db)[-3:] == [
        "opportunity.deactivate", "organisation.deactivate", "opportunity.deactivate",
    ]  # fmt: skip


def test_ended_opportunities_are_listed_only_when_asked(db: Database) -> None:
    org = _organisation(db)
    _opportunity(db, org, start_date=date(2026, 1, 1), end_date=date(2026, 6, 30))
    assert orgs.list_opportunities(db, today=TODAY) == []
    assert len(orgs.list_opportunities(db, today=TODAY, include_inactive=True)) == 1


def test_parse_helpers() -> None:
    assert orgs.parse_days(" 5;1, 3,3 ") == "1,3,5"
    assert orgs.parse_days("") == ""
    assert orgs.parse_skill_levels("") == ()
    assert orgs.parse_skill_levels("schrijven=alfa c, luisteren=B1") == (
        ("luisteren", "b1"), ("schrijven", "alfa_c"),
    )  # fmt: skip


# --- the commands --------------------------------------------------------------------------


def test_organisations_opportunities_and_contact_commands(app_paths: AppPaths, copy: Path) -> None:
    listed = data(run(app_paths, copy, "--json", "organisations"))
    assert listed and all(o["active"] for o in listed)
    assert {o["kind"] for o in listed} >= {"werkgever", "vrijwilligers"}
    bakery = next(o for o in listed if o["name"] == "Bakkerij Het Korenaartje")
    code, out, _err = run(app_paths, copy, "organisations")
    assert code == 0 and "Bakkerij Het Korenaartje" in out and "employer" in out
    offered = data(run(app_paths, copy, "--json", "opportunities", "--organisation", "Bakkerij"))
    assert offered and {o["organisation_uid"] for o in offered} == {bakery["uid"]}
    assert all(o["places"] >= 1 and o["taken"] <= o["places"] for o in offered)
    every = data(run(app_paths, copy, "--json", "opportunities", "--all"))
    assert len(every) >= len(data(run(app_paths, copy, "--json", "opportunities")))
    code, out, _err = run(app_paths, copy, "opportunities")
    assert code == 0 and "places taken" in out
    saved = data(run(app_paths, copy, "--json", "contact", "--organisation", "Bakkerij Het",
                     "--with", "Petra Jansen", "--subject", "Nieuwe stageplek", "--date",
                     "20-11-2026"))  # fmt: skip
    assert (saved["organisation"], saved["date"]) == (bakery["uid"], "2026-11-20")
    again = data(run(app_paths, copy, "--json", "organisations"))
    assert next(o for o in again if o["uid"] == bakery["uid"])["last_contact"] == "2026-11-20"
    later = ("--with", "Petra", "--subject", "Later", "--date", "2026-12-24")
    code, _out, err = run(app_paths, copy, "contact", "--organisation", "Bakkerij Het", *later)
    assert code == 1 and "future" in err
    code, _out, err = run(app_paths, copy, "contact", "--organisation", "Nergens", "--with", "X",
                          "--subject", "Y")  # fmt: skip
    assert code == 1 and "No organisation is called Nergens" in err
