"""Retention: the plan names the right candidates, a run does it once, the dashboard keeps
its figures, and anonymised candidates leave no name or BSN anywhere."""

from __future__ import annotations

import argparse
import io
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import String, inspect, text

from kvds_desktop.domain.names import display_name
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidates.commands import update_candidate
from kvds_desktop.services.kpi import compute_kpis
from kvds_desktop.services.privacy.retention import (
    DEFAULT_PERIODS,
    RetentionPeriods,
    RetentionPlan,
    apply_retention,
    plan_retention,
)
from kvds_desktop.store.database import Database

ACTOR = Actor("coordinator", "laptop-1")
TODAY = date(2026, 11, 28)
ENDED = ("uitgestroomd", "verhuisd", "ontheven", "gestopt")


@pytest.fixture
def copy(pilot_file: Path, tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    path = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, path)
    db = Database.open(path)
    yield db, path
    db.close()


def _sql(db: Database, query: str, **params: object) -> list[tuple[object, ...]]:
    with db.engine.connect() as raw:
        return [tuple(r) for r in raw.execute(text(query), params)]


def _figures(db: Database) -> dict[str, tuple[object, ...]]:
    kpis = compute_kpis(db, at=TODAY, start=date(2019, 1, 1), end=TODAY)
    figures = {f.key: (f.count, f.value, f.base) for f in kpis.figures}
    for group in kpis.per_municipality:
        for key in ("candidates_started", "outflow_total"):
            figures[f"{group.name}.{key}"] = (group.figure(key).count,)
    return figures


def test_plan_with_no_waiting_names_every_ended_candidate_with_a_profile(
    copy: tuple[Database, Path],
) -> None:
    db, _path = copy
    plan = plan_retention(db, RetentionPeriods(0, 0, 0, 0), today=TODAY)
    expected = {
        r[0]
        for r in _sql(
            db,
            f"""
        SELECT c.uid FROM candidate c WHERE c.status IN {ENDED} AND c.merged_into_id IS NULL
        AND (EXISTS (SELECT 1 FROM work_profile w WHERE w.candidate_id = c.id)
             OR EXISTS (SELECT 1 FROM employer_consent e WHERE e.candidate_id = c.id))""",
        )
    }
    assert expected and set(plan.candidates("work_profiles")) == expected
    active = {r[0] for r in _sql(db, f"SELECT uid FROM candidate WHERE status NOT IN {ENDED}")}
    assert not active & {i.candidate_uid for i in plan.items}


def test_the_period_counts_from_the_end_date(copy: tuple[Database, Path]) -> None:
    db, _path = copy
    uid, cid = _sql(
        db,
        """SELECT c.uid, c.id FROM candidate c JOIN outflow o ON o.candidate_id = c.id
        WHERE c.status = 'uitgestroomd'
        AND EXISTS (SELECT 1 FROM candidate_note n WHERE n.candidate_id = c.id)
        ORDER BY c.id LIMIT 1""",
    )[0]
    with db.engine.begin() as raw:  # left exactly 13 months before TODAY
        raw.execute(
            text("UPDATE outflow SET outflow_date = '2025-10-28' WHERE candidate_id = :cid"),
            {"cid": cid},
        )
        raw.execute(
            text(
                "UPDATE candidate_status_change SET effective_date = '2025-10-28' "
                "WHERE candidate_id = :cid AND status = 'uitgestroomd'"
            ),
            {"cid": cid},
        )
    assert uid in plan_retention(db, RetentionPeriods(notes=13), today=TODAY).candidates("notes")
    assert uid not in plan_retention(db, RetentionPeriods(notes=14), today=TODAY).candidates(
        "notes"
    )
    item = next(i for i in plan_retention(db, today=TODAY).items if i.candidate_uid == uid)
    assert item.ended_on == date(2025, 10, 28)


def test_apply_then_nothing_is_left_and_the_dashboard_is_unchanged(
    copy: tuple[Database, Path],
) -> None:
    db, _path = copy
    before = _figures(db)
    plan = plan_retention(db, today=TODAY)
    assert all(plan.count(c) for c in ("notes", "absence_reasons", "work_profiles", "anonymise"))
    result = apply_retention(db, plan, ACTOR, today=TODAY)
    assert result.rows["anonymise"] == plan.count("anonymise")
    assert plan_retention(db, today=TODAY).items == ()
    assert _figures(db) == before
    audited = _sql(
        db,
        "SELECT action, record_uid, new_values FROM audit_entry WHERE action LIKE 'retention.%'",
    )
    assert len(audited) == len(plan.items)
    assert {(a[0], a[1]) for a in audited} == {
        (f"retention.{i.category}", i.candidate_uid) for i in plan.items
    }
    marks = _sql(
        db,
        "SELECT count(*) FROM attendance_mark m JOIN candidate c ON c.id = "
        "m.candidate_id WHERE c.uid = :uid AND (m.reason != '' OR m.note != '')",
        uid=plan.candidates("absence_reasons")[0],
    )
    assert marks == [(0,)]


def test_anonymised_candidates_leave_no_name_or_bsn_anywhere(copy: tuple[Database, Path]) -> None:
    db, _path = copy
    plan = plan_retention(db, today=TODAY)
    chosen = plan.candidates("anonymise")
    first = chosen[0]
    update_candidate(
        db, first, {"voornamen": "Zarifa Tamana", "phone": "06-12312312"}, ACTOR, TODAY
    )
    plan = plan_retention(db, today=TODAY)
    people = _sql(
        db,
        "SELECT uid, voornamen, tussenvoegsel, achternaam, bsn, klantnummer, phone FROM candidate",
    )
    names_of_others = {
        display_name(str(p[1]), str(p[2]), str(p[3])).casefold()
        for p in people
        if p[0] not in chosen
    }
    needles = ["Zarifa Tamana", "06-12312312"]
    for p in people:
        if p[0] in chosen:
            name = display_name(str(p[1]), str(p[2]), str(p[3]))
            if name.casefold() not in names_of_others:
                needles.append(name)
            needles += [str(v) for v in (p[4], p[5], p[6]) if v]
    apply_retention(db, plan, ACTOR, today=TODAY)
    hits = []
    lowered = [n.casefold() for n in needles]
    with db.engine.connect() as raw:
        found = inspect(raw)
        for table in found.get_table_names():
            for column in found.get_columns(table):
                if not isinstance(column["type"], String):  # VARCHAR, CHAR and TEXT
                    continue
                name = column["name"]
                query = text(f"SELECT DISTINCT {name} FROM {table} WHERE {name} != ''")
                for (value,) in raw.execute(query):
                    folded = str(value).casefold()
                    hits += [(table, name, n) for n in lowered if n in folded]
    assert hits == []
    kept = _sql(
        db, "SELECT municipality, law, registration_date FROM candidate WHERE uid = :uid", uid=first
    )
    assert kept[0][0] and kept[0][1] and kept[0][2]


def test_apply_does_only_what_the_confirmed_plan_says(copy: tuple[Database, Path]) -> None:
    db, _path = copy
    plan = plan_retention(db, today=TODAY)
    one = plan.items[0]
    apply_retention(db, RetentionPlan(plan.today, plan.periods, (one,)), ACTOR, today=TODAY)
    after = plan_retention(db, today=TODAY)
    assert (one.category, one.candidate_uid) not in {
        (i.category, i.candidate_uid) for i in after.items
    }
    assert len(after.items) == len(plan.items) - 1


@given(
    st.dictionaries(
        st.sampled_from(["notes", "absence_reasons", "work_profiles", "anonymise"]),
        st.integers(-5, 1300),
    )
)
def test_periods_from_settings_are_checked(values: dict[str, int]) -> None:
    if all(0 <= v <= 1200 for v in values.values()):
        periods = RetentionPeriods.from_mapping(values)
        for key in ("notes", "absence_reasons", "work_profiles", "anonymise"):
            assert periods.months(key) == values.get(key, DEFAULT_PERIODS.months(key))
    else:
        with pytest.raises(UserError):
            RetentionPeriods.from_mapping(values)


def test_cli_dry_run_changes_nothing(copy: tuple[Database, Path], app_paths: AppPaths) -> None:
    from kvds_desktop import cli_privacy
    from kvds_desktop.cli import Context

    db, path = copy
    db.close()
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
        return cmd

    cli_privacy.add_commands(command)
    args = parser.parse_args(
        ["retention", "--dry-run", "--json", "--today", "2026-11-28", "--months", "anonymise=48"]
    )
    args.db = str(path)
    out = io.StringIO()
    ctx = Context(
        args, app_paths, Translator.for_language("en"), out, io.StringIO(), date(2030, 1, 1)
    )
    assert args.run(ctx) == 0
    data = json.loads(out.getvalue())
    assert data["applied"] is False and data["periods"]["anonymise"] == 48
    assert data["today"] == "2026-11-28" and data["categories"]["notes"]["candidates"] > 0
    again = Database.open(path)
    try:
        retained = "SELECT count(*) FROM audit_entry WHERE action LIKE 'retention.%'"
        assert _sql(again, retained) == [(0,)]
    finally:
        again.close()
