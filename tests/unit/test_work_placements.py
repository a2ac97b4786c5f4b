"""Placements through their pipeline, and the placements that clash with lessons."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kvds_desktop.errors import UserError
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.scheduling import cancel_lesson, move_lesson
from kvds_desktop.services.work import placements as pl
from kvds_desktop.store.database import Database
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
ME = Actor("jobcoach", "laptop-wijchen")


@pytest.fixture
def copy(pilot_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copy(pilot_file, target)
    return target


@pytest.fixture
def db(copy: Path) -> Iterator[Database]:
    database = Database.open(copy)
    yield database
    database.close()


def _rows(db: Database, sql: str, **params: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(sql), params).all())


def _candidate_and_org(db: Database) -> tuple[str, str, str]:
    """An active candidate (uid, client number) and a volunteer organisation (uid)."""
    (uid, number), *_ = _rows(
        db, "SELECT uid, klantnummer FROM candidate WHERE status = 'actief' ORDER BY klantnummer"
    )
    (org,), *_ = _rows(db, "SELECT uid FROM organisation WHERE kind = 'vrijwilligers' ORDER BY id")
    return uid, number, org


def _audit(db: Database, uid: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    rows = _rows(
        db,
        "SELECT action, old_values, new_values FROM audit_entry WHERE record_uid = :uid "
        "ORDER BY id",
        uid=uid,
    )
    return [(a, json.loads(o) if o else {}, json.loads(n) if n else {}) for a, o, n in rows]


def test_a_placement_goes_through_the_pipeline_back_and_to_its_end(db: Database) -> None:
    candidate, _number, org = _candidate_and_org(db)
    row = pl.add_placement(
        db, candidate_uid=candidate, organisation_uid=org, kind="vrijwilligerswerk",
        start_date=date(2026, 12, 1), days="4,2", hours_per_week=8, actor=ME, now=NOW,
    )  # fmt: skip
    assert (row.stage, row.days, row.hours_per_week, row.end_date) == ("voorgesteld", (2, 4), 8,
                                                                      None)  # fmt: skip
    assert [(s.stage, s.day, s.by) for s in row.steps] == [("voorgesteld", TODAY, "jobcoach")]
    for stage in ("kennismaking", "proefplaatsing", "geplaatst"):
        row = pl.set_stage(db, row.uid, stage=stage, day=TODAY, note=stage, actor=ME, now=NOW)
    row = pl.set_stage(db, row.uid, stage="proefplaatsing", day=date(2026, 11, 29),
                       note="toch eerst proberen", actor=ME, now=NOW)  # fmt: skip
    assert row.stage == "proefplaatsing"
    ended = pl.end_placement(db, row.uid, end_date=date(2026, 12, 20), note="klaar", actor=ME,
                             now=NOW)  # fmt: skip
    assert (ended.stage, ended.end_date) == ("beeindigd", date(2026, 12, 20))
    assert [s.stage for s in ended.steps] == [
        "voorgesteld", "kennismaking", "proefplaatsing", "geplaatst", "proefplaatsing",
        "beeindigd",
    ]  # fmt: skip
    assert ended.steps[-1].note == "klaar"

    trail = _audit(db, row.uid)
    assert [action for action, _o, _n in trail] == [
        "placement.add", "placement.stage", "placement.stage", "placement.stage",
        "placement.stage_back", "placement.stage",
    ]  # fmt: skip
    _action, old, new = trail[4]
    assert (old["stage"], new["stage"], new["backwards"]) == ("geplaatst", "proefplaatsing", True)
    assert trail[-1][2]["end_date"] == "2026-12-20"

    running = pl.list_placements(db, today=TODAY, candidate_uid=candidate)
    assert row.uid not in {p.uid for p in running}
    every = pl.list_placements(db, today=TODAY, candidate_uid=candidate, active_only=False)
    assert row.uid in {p.uid for p in every}
    assert all(p.candidate_uid == candidate for p in every)


def test_ending_needs_an_end_date_and_going_back_reopens(db: Database) -> None:
    candidate, _number, org = _candidate_and_org(db)
    row = pl.add_placement(
        db, candidate_uid=candidate, organisation_uid=org, kind="stage",
        start_date=date(2026, 11, 1), days=[1], hours_per_week=None, actor=ME, now=NOW,
        stage="geplaatst",
    )  # fmt: skip
    with pytest.raises(UserError, match="ends before it starts"):
        pl.set_stage(db, row.uid, stage="beeindigd", day=date(2026, 10, 31), note="", actor=ME,
                     now=NOW)  # fmt: skip
    ended = pl.set_stage(db, row.uid, stage="beeindigd", day=TODAY, note="", actor=ME, now=NOW)
    assert ended.end_date == TODAY  # the day of the step, when no end date is given
    with pytest.raises(UserError, match="at this stage already"):
        pl.set_stage(db, row.uid, stage="beeindigd", day=TODAY, note="", actor=ME, now=NOW)
    reopened = pl.set_stage(db, row.uid, stage="geplaatst", day=TODAY, note="", actor=ME, now=NOW)
    assert (reopened.stage, reopened.end_date) == ("geplaatst", None)
    assert _audit(db, row.uid)[-1][0] == "placement.stage_back"


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"kind": "hobby"}, "Unknown placement kind"), ({"days": "1,8"}, "weekday numbers"),
     ({"hours_per_week": 61}, "between 0 and 60"), ({"stage": "beeindigd"}, "cannot start"),
     ({"stage": "ergens"}, "Unknown stage"),
     ({"end_date": date(2026, 11, 30)}, "ends before it starts")],
)  # fmt: skip
def test_a_new_placement_is_checked(db: Database, changes: dict[str, Any], message: str) -> None:
    candidate, _number, org = _candidate_and_org(db)
    values: dict[str, Any] = {
        "candidate_uid": candidate, "organisation_uid": org, "kind": "stage",
        "start_date": date(2026, 12, 1), "days": "2", "hours_per_week": 8,
    }  # fmt: skip
    values.update(changes)
    with pytest.raises(UserError, match=message):
        pl.add_placement(db, actor=ME, now=NOW, **values)
    with pytest.raises(UserError, match="no longer exists"):
        pl.set_stage(db, "no-such-uid", stage="geplaatst", day=TODAY, note="", actor=ME, now=NOW)


def _clash_setup(db: Database) -> tuple[Any, Any, date]:
    """A running placement of a group member, a given lesson of that group in the coming
    two weeks on a day off the placement, and a day of the same week on the placement."""
    placements = _rows(
        db,
        "SELECT p.uid, p.days, c.uid AS candidate, g.id AS group_id, g.uid AS group_uid "
        "FROM placement p JOIN candidate c ON c.id = p.candidate_id "
        "JOIN group_membership m ON m.candidate_id = c.id AND m.start_date <= :today "
        "AND (m.end_date IS NULL OR m.end_date >= :today) "
        "JOIN study_group g ON g.id = m.group_id "
        "WHERE p.end_date IS NULL AND p.stage != 'beeindigd' AND p.start_date <= :today "
        "AND p.days != '' ORDER BY p.id",
        today=TODAY,
    )
    for placement in placements:
        days = {int(d) for d in placement.days.split(",")}
        lessons = _rows(
            db,
            "SELECT uid, lesson_date, start_time, end_time FROM lesson WHERE group_id = :group "
            "AND cancelled = false AND lesson_date BETWEEN :start AND :end ORDER BY lesson_date",
            group=placement.group_id, start=TODAY + timedelta(days=2),
            end=TODAY + timedelta(days=14),
        )  # fmt: skip
        for lesson in lessons:
            day = date.fromisoformat(str(lesson.lesson_date))
            monday = day - timedelta(days=day.isoweekday() - 1)
            targets = [monday + timedelta(days=d - 1) for d in sorted(days) if d <= 5]
            if day.isoweekday() not in days and targets:
                return placement, lesson, targets[0]
    raise AssertionError("the pilot has no placement next to a group's lessons")


def test_moving_a_groups_lesson_to_a_placements_day_lists_that_placement_as_clashing(
    db: Database,
) -> None:
    placement, lesson, target = _clash_setup(db)
    before = pl.placement_clashes(db, today=TODAY, candidate_uid=placement.candidate)
    assert placement.uid not in {c.placement_uid for c in before}

    move_lesson(db, lesson.uid, new_date=target, start=time(13, 15), end=time(15, 45), actor=ME)

    clashes = pl.placement_clashes(db, today=TODAY, group_uid=placement.group_uid)
    mine = [c for c in clashes if c.placement_uid == placement.uid]
    assert [(c.lesson_uid, c.lesson_date, c.start, c.end) for c in mine] == [
        (lesson.uid, target, time(13, 15), time(15, 45))
    ]
    assert mine[0].candidate_uid == placement.candidate and mine[0].organisation
    assert mine == [
        c for c in pl.placement_clashes(db, today=TODAY, candidate_uid=placement.candidate)
        if c.placement_uid == placement.uid
    ]  # fmt: skip
    assert pl.placement_clashes(db, today=target + timedelta(days=1), weeks=1,
                                candidate_uid=placement.candidate) == []  # fmt: skip

    cancel_lesson(db, lesson.uid, "docent ziek", ME)  # a cancelled lesson does not clash
    after = pl.placement_clashes(db, today=TODAY, candidate_uid=placement.candidate)
    assert placement.uid not in {c.placement_uid for c in after}


def test_cli_lists_placements_moves_a_stage_and_shows_clashes(
    app_paths: AppPaths, copy: Path
) -> None:
    db = Database.open(copy)
    try:
        placement, lesson, target = _clash_setup(db)
        (number,), *_ = _rows(db, "SELECT klantnummer FROM candidate WHERE uid = :uid",
                              uid=placement.candidate)  # fmt: skip
        move_lesson(db, lesson.uid, new_date=target, start=time(9, 0), end=time(11, 0), actor=ME)
    finally:
        db.close()
    shown = data(run(app_paths, copy, "--json", "placements", "--candidate", number))
    assert placement.uid in {p["uid"] for p in shown}
    moved = data(run(app_paths, copy, "--json", "placement", "stage", placement.uid[:8],
                     "--stage", "proefplaatsing", "--note", "terug naar proef"))  # fmt: skip
    assert (moved["stage"], moved["steps"][-1]["note"]) == ("proefplaatsing", "terug naar proef")
    clashes = data(run(app_paths, copy, "--json", "placements", "--clashes", "--candidate", number))
    assert {(c["placement"], c["lesson"], c["date"]) for c in clashes} >= {
        (placement.uid, lesson.uid, target.isoformat())
    }
    code, out, err = run(app_paths, copy, "placements", "--clashes", "--candidate", number)
    assert code == 0 and target.isoformat() in out, err
    code, _out, err = run(app_paths, copy, "placement", "stage", "zzzzzzzz", "--stage", "geplaatst")
    assert code == 1 and "No placement has the id zzzzzzzz" in err
