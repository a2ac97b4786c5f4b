"""The dashboard's indicators: the evaluation's table, the click-through lists, the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kvds_desktop.errors import UserError
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.kpi import Figure, KpiSet, compute_kpis, figure_candidates
from kvds_desktop.services.kpi.figures import COUNT, SHARE
from kvds_desktop.store.database import Database
from tests.cli_support import json_result, run_cli

EVALUATION_DAY = date(2020, 12, 17)
PILOT_START = date(2019, 1, 1)


@pytest.fixture
def db_file(pilot_file: Path, tmp_path: Path) -> Path:
    """A copy of the pilot demo database."""
    path = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, path)
    return path


@pytest.fixture
def db(db_file: Path) -> Iterator[Database]:
    """The copy, opened."""
    database = Database.open(db_file)
    yield database
    database.close()


def _all_figures(kpis: KpiSet) -> Iterator[Figure]:
    yield from kpis.figures
    for groups in (kpis.per_municipality, kpis.per_location, kpis.per_cohort):
        for group in groups:
            yield from group.figures


def test_evaluation_table(db: Database) -> None:
    kpis = compute_kpis(db, at=EVALUATION_DAY, start=PILOT_START, end=EVALUATION_DAY)
    table = {
        g.name: (g.figure("candidates_started").count, g.figure("outflow_total").count)
        for g in kpis.per_municipality
    }
    assert table == {"Druten": (30, 10), "Wijchen": (24, 8)}
    assert kpis.figure("candidates_started").value == 54
    assert kpis.figure("outflow_share").value == pytest.approx(18 / 54)


@pytest.mark.parametrize("at", [EVALUATION_DAY, date(2026, 11, 28)])
def test_every_figure_matches_its_list(db: Database, at: date) -> None:
    kpis = compute_kpis(db, at=at, start=date(2020, 1, 1), end=at)
    for figure in _all_figures(kpis):
        assert figure.count == len(figure.candidate_uids), figure.key
        assert len(set(figure.candidate_uids)) == figure.count, figure.key
        if figure.unit == COUNT:
            assert figure.value == figure.count, figure.key
        if figure.unit == SHARE:
            expected = figure.count / figure.base if figure.base else 0.0
            assert figure.value == pytest.approx(expected), figure.key
    started = set(kpis.figure("candidates_started").candidate_uids)
    for figure in kpis.figures:
        assert set(figure.candidate_uids) <= started, figure.key


def test_outflow_kinds_add_up(db: Database) -> None:
    at = date(2026, 11, 28)
    kpis = compute_kpis(db, at=at, start=PILOT_START, end=at)
    kinds = ("work", "work_support", "education", "volunteer", "other")
    total = sum(kpis.figure(f"outflow_{kind}").count for kind in kinds)
    assert total == kpis.figure("outflow_total").count
    active = kpis.figure("candidates_active").count
    assert active + total == kpis.figure("candidates_started").count
    assert kpis.figure("caseload_fte").value == pytest.approx(active * 0.05, abs=0.01)
    days = kpis.figure("outflow_days_median")
    assert days.count == total and days.value > 0


def test_slices_add_up_and_filters(db: Database) -> None:
    at = date(2026, 11, 28)
    kpis = compute_kpis(db, at=at, start=PILOT_START, end=at)
    started = kpis.figure("candidates_started").count
    for groups in (kpis.per_municipality, kpis.per_location, kpis.per_cohort):
        assert sum(g.figure("candidates_started").count for g in groups) == started
    wijchen = compute_kpis(db, at=at, start=PILOT_START, end=at, municipality="wijchen")
    assert [g.name for g in wijchen.per_municipality] == ["Wijchen"]
    target = wijchen.figure("target_progress")
    assert target.base == 180
    wi2021 = compute_kpis(db, at=at, start=PILOT_START, end=at, law="wi2021")
    assert 0 < wi2021.figure("pip_in_time").base <= wi2021.figure("candidates_started").count  # type: ignore[operator]
    uids = figure_candidates(db, "outflow_total", at=at, start=PILOT_START, end=at, route="z")
    assert (
        uids
        == compute_kpis(db, at=at, start=PILOT_START, end=at, route="z")
        .figure("outflow_total")
        .candidate_uids
    )


def test_bad_input(db: Database) -> None:
    with pytest.raises(UserError):
        compute_kpis(db, at=EVALUATION_DAY, start=EVALUATION_DAY, end=PILOT_START)
    with pytest.raises(UserError):
        compute_kpis(db, at=EVALUATION_DAY, start=PILOT_START, end=EVALUATION_DAY, law="x")
    with pytest.raises(UserError):
        figure_candidates(db, "nope", at=EVALUATION_DAY, start=PILOT_START, end=EVALUATION_DAY)


def test_cli(app_paths: AppPaths, db_file: Path) -> None:
    data = json_result(run_cli(app_paths, db_file, "kpi", "--at", "2020-12-17", "--json"))
    groups = {g["name"]: g for g in data["per_municipality"]}
    druten = {f["key"]: f for f in groups["Druten"]["figures"]}
    assert druten["candidates_started"]["count"] == 30
    assert len(druten["outflow_total"]["candidates"]) == 10
    code, out, _ = run_cli(app_paths, db_file, "kpi", "--at", "2020-12-17")
    assert code == 0 and "Wijchen: 24 candidates, 8 flowed out" in out
