"""The demo data generator: the evaluation's numbers, determinism, consistency, refusal."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import holidays
import pytest
from sqlalchemy import text

from kvds_desktop.domain import rules
from kvds_desktop.errors import UserError
from kvds_desktop.services.demo import DemoCancelled, DemoSummary, generate_demo
from kvds_desktop.services.demo.people import bsn_is_valid
from kvds_desktop.services.demo.writer import local_to_utc, random_uid
from kvds_desktop.store.database import Database

TODAY = date(2026, 11, 28)
EVALUATION_DAY = "2020-12-17"
OPEN_END = "9999-12-31"  # text, so SQLite compares it as a date string
# Surnames of the people interviewed for the evaluation: the demo must never use them.
INTERVIEWEES = {
    "alabdul alaziz", "alhammod", "te boekhorst", "boekhorst", "bugter", "cayci", "claassens",
    "derks", "dijckmans", "ebo", "heijnsdijk", "houtveen", "hulsen", "ijkhout", "jabbano",
    "kilkens", "de koning", "koning", "tiggers", "van de ven", "ven", "verpaalen",
    "van der wal", "wal", "van wamel", "wamel", "de wildt", "wildt", "willemsen",
}  # fmt: skip


def _open(path: Path) -> Database:
    return Database.open(path, create=True)


def _rows(db: Database, sql: str, **params: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def _scalar(db: Database, sql: str, **params: Any) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _rows_days(db: Database) -> list[date]:
    return [date.fromisoformat(r[0]) for r in _rows(db, "SELECT DISTINCT lesson_date FROM lesson")]


@pytest.fixture(scope="module")
def pilot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One pilot database shared by the read-only tests of this module."""
    db = _open(tmp_path_factory.mktemp("pilot") / "demo.sqlite")
    summary = generate_demo(db, scale="pilot", seed=2019, today=TODAY)
    yield db, summary
    db.close()


@pytest.fixture()
def pilot_db(pilot: tuple[Database, DemoSummary]) -> Database:
    return pilot[0]


def test_the_evaluation_table_holds_on_17_december_2020(pilot_db: Database) -> None:
    rows = _rows(
        pilot_db,
        """
        SELECT l.name, count(*),
               sum(EXISTS (SELECT 1 FROM outflow o WHERE o.candidate_id = c.id
                           AND o.outflow_date <= :day))
        FROM candidate c JOIN location l ON l.id = c.location_id
        WHERE c.registration_date <= :day GROUP BY l.name ORDER BY l.name
        """,
        day=EVALUATION_DAY,
    )
    assert [tuple(r) for r in rows] == [("Druten", 30, 10), ("Wijchen", 24, 8)]
    laws = _rows(pilot_db, "SELECT DISTINCT law FROM candidate WHERE registration_date <= :d",
                 d=EVALUATION_DAY)  # fmt: skip
    assert [r[0] for r in laws] == ["wi2013"]


def test_summary_counts_match_the_tables(pilot: tuple[Database, DemoSummary]) -> None:
    db, summary = pilot
    for table in ("candidate", "lesson", "attendance_mark", "study_group", "outflow"):
        assert summary.counts[table] == _scalar(db, f"SELECT count(*) FROM {table}")
    assert summary.counts["attendance_mark"] > 50_000
    assert summary.seconds > 0
    audit = _rows(db, "SELECT actor, action FROM audit_entry")
    assert [tuple(r) for r in audit] == [("demo", "demo.generate")]


def test_every_bsn_passes_the_elfproef_and_is_unique(pilot_db: Database) -> None:
    bsns = [r[0] for r in _rows(pilot_db, "SELECT bsn FROM candidate WHERE bsn IS NOT NULL")]
    total = _scalar(pilot_db, "SELECT count(*) FROM candidate")
    assert 0.55 * total < len(bsns) < 0.85 * total
    assert len(set(bsns)) == len(bsns)
    for number in bsns:
        digits = [int(ch) for ch in number]
        assert len(digits) == 9
        assert (sum(d * (9 - i) for i, d in enumerate(digits[:8])) - digits[8]) % 11 == 0
        assert bsn_is_valid(number)


def test_bsns_are_valid_for_python_stdnum(pilot_db: Database) -> None:
    bsn = pytest.importorskip("stdnum.nl.bsn")
    for (number,) in _rows(pilot_db, "SELECT bsn FROM candidate WHERE bsn IS NOT NULL"):
        assert bsn.is_valid(number)


def test_klantnummers_and_uids_are_unique_uuid4(pilot_db: Database) -> None:
    numbers = [r[0] for r in _rows(pilot_db, "SELECT klantnummer FROM candidate")]
    assert None not in numbers and len(set(numbers)) == len(numbers)
    for (uid,) in _rows(pilot_db, "SELECT uid FROM candidate UNION ALL SELECT uid FROM lesson"):
        assert uuid.UUID(uid).version == 4


def test_no_lesson_on_a_public_holiday_or_closure(pilot_db: Database) -> None:
    assert _scalar(pilot_db, "SELECT count(*) FROM lesson WHERE lesson_date = '2019-12-25'") == 0
    dutch = holidays.country_holidays("NL", years=range(2019, 2028))
    days = {d.isoformat() for d in _rows_days(pilot_db)}
    assert days and not days & {d.isoformat() for d in dutch}
    in_closure = _scalar(
        pilot_db,
        """
        SELECT count(*) FROM lesson l JOIN study_group g ON g.id = l.group_id
        JOIN closure c ON l.lesson_date BETWEEN c.date_from AND c.date_to
         AND (c.location_id IS NULL OR c.location_id = g.location_id)
        """,
    )
    assert in_closure == 0
    kinds = {r[0] for r in _rows(pilot_db, "SELECT DISTINCT kind FROM closure")}
    assert kinds == {"feestdag", "schoolvakantie", "eigen"}


def test_lessons_run_from_july_2019_to_four_weeks_after_today(pilot_db: Database) -> None:
    first, last = _rows(pilot_db, "SELECT min(lesson_date), max(lesson_date) FROM lesson")[0]
    assert first.startswith("2019-07")
    assert TODAY < date.fromisoformat(last) <= TODAY + timedelta(weeks=4)
    assert (
        _scalar(pilot_db, "SELECT count(*) FROM lesson WHERE cancelled AND cancel_reason = ''") == 0
    )


def test_marks_only_for_past_lessons_and_group_members(pilot_db: Database) -> None:
    future = _scalar(
        pilot_db,
        """SELECT count(*) FROM attendance_mark a JOIN lesson l ON l.id = a.lesson_id
           WHERE l.lesson_date > :today OR l.cancelled""",
        today=TODAY.isoformat(),
    )
    assert future == 0
    strangers = _scalar(
        pilot_db,
        """
        SELECT count(*) FROM attendance_mark a JOIN lesson l ON l.id = a.lesson_id
        WHERE NOT EXISTS (
            SELECT 1 FROM group_membership m WHERE m.group_id = l.group_id
            AND m.candidate_id = a.candidate_id AND m.start_date <= l.lesson_date
            AND coalesce(m.end_date, :open) >= l.lesson_date)
        """,
        open=OPEN_END,
    )
    assert strangers == 0
    missing = _scalar(
        pilot_db,
        """
        SELECT count(*) FROM lesson l JOIN group_membership m ON m.group_id = l.group_id
         AND m.start_date <= l.lesson_date AND coalesce(m.end_date, :open) >= l.lesson_date
        WHERE l.lesson_date <= :today AND NOT l.cancelled AND NOT EXISTS (
            SELECT 1 FROM attendance_mark a WHERE a.lesson_id = l.id
            AND a.candidate_id = m.candidate_id)
        """,
        open=OPEN_END,
        today=TODAY.isoformat(),
    )
    assert missing == 0


def test_attendance_looks_real(pilot_db: Database) -> None:
    shares = dict(
        _rows(
            pilot_db,
            """SELECT s.code, 1.0 * count(*) / (SELECT count(*) FROM attendance_mark)
               FROM attendance_mark a JOIN attendance_status s ON s.id = a.status_id
               GROUP BY s.code""",
        )
    )
    assert 0.8 < shares["A"] < 0.9
    assert set(shares) == {"A", "L", "E", "M", "Z", "O"}
    reasons = {r[0] for r in _rows(pilot_db, "SELECT DISTINCT reason FROM attendance_mark")}
    assert {"ziek", "afspraak_instantie", "werk", "zorgtaken", "overig"} <= reasons
    sources = {r[0] for r in _rows(pilot_db, "SELECT DISTINCT source FROM attendance_mark")}
    assert sources == {"demo"}
    # A few active candidates were mostly away without notice in the last four weeks.
    streaks = _scalar(
        pilot_db,
        """
        SELECT count(*) FROM (
            SELECT a.candidate_id FROM attendance_mark a JOIN lesson l ON l.id = a.lesson_id
            JOIN attendance_status s ON s.id = a.status_id
            WHERE l.lesson_date > :since GROUP BY a.candidate_id
            HAVING avg(s.code = 'Z') > 0.3)
        """,
        since=(TODAY - timedelta(days=28)).isoformat(),
    )
    assert streaks >= 2


def test_marks_are_recorded_on_the_lesson_day_in_utc(pilot_db: Database) -> None:
    rows = _rows(
        pilot_db,
        """SELECT l.lesson_date, a.recorded_at, s.code FROM attendance_mark a
           JOIN lesson l ON l.id = a.lesson_id JOIN attendance_status s ON s.id = a.status_id
           ORDER BY a.id LIMIT 3000""",
    )
    for lesson_date, recorded_at, code in rows:
        lag = (date.fromisoformat(recorded_at[:10]) - date.fromisoformat(lesson_date)).days
        assert lag == (1 if code == "O" else 0)
    assert local_to_utc(date(2026, 7, 1), time(12)).hour == 10
    assert local_to_utc(date(2026, 1, 5), time(12)).hour == 11


def test_later_cohorts_follow_wi2021_with_the_term_after_the_first_pip(pilot_db: Database) -> None:
    laws = _rows(
        pilot_db,
        "SELECT law, doelgroep, count(*) FROM candidate WHERE registration_date >= '2022-01-01' "
        "GROUP BY law, doelgroep",
    )
    by_law = {(law, group): n for law, group, n in laws}
    assert by_law[("wi2021", "statushouder")] > 100
    assert {law for law, _ in by_law} <= {"wi2021", "geen"}
    rows = _rows(
        pilot_db,
        """
        SELECT c.registration_date, c.term_start, c.term_end, c.route,
               (SELECT min(p.decision_date) FROM pip_version p WHERE p.candidate_id = c.id),
               (SELECT coalesce(sum(t.months), 0) FROM term_extension t
                WHERE t.candidate_id = c.id)
        FROM candidate c WHERE c.law = 'wi2021'
        """,
    )
    late = 0
    for registration, start, end, route, first_pip, months in rows:
        if first_pip is None:
            assert start is None and route is None
            continue
        pip = date.fromisoformat(first_pip)
        assert date.fromisoformat(start) == pip + timedelta(days=1)
        assert date.fromisoformat(end) == rules.term_end(rules.term_start(pip), months)
        assert route in {"b1", "onderwijs", "z"}
        late += pip > rules.pip_deadline(date.fromisoformat(registration))
    assert 0 < late < 0.2 * len(rows)
    routes = dict(_rows(pilot_db, "SELECT route, count(*) FROM candidate GROUP BY route"))
    assert routes["b1"] > routes["onderwijs"] and routes["b1"] > routes["z"]


def test_statuses_match_outflows(pilot_db: Database) -> None:
    rows = _rows(
        pilot_db,
        """
        SELECT c.status, o.kind,
               (SELECT s.status FROM candidate_status_change s WHERE s.candidate_id = c.id
                ORDER BY s.effective_date DESC, s.id DESC LIMIT 1)
        FROM candidate c LEFT JOIN outflow o ON o.candidate_id = c.id
        """,
    )
    expected = {"verhuisd": "verhuisd", "ontheffing": "ontheven", "gestopt": "gestopt"}
    for status, kind, last_change in rows:
        assert status == last_change
        if kind is None:
            assert status in {"aangemeld", "intake", "actief", "gepauzeerd"}
        else:
            assert status == expected.get(kind, "uitgestroomd")
    kinds = {r[1] for r in rows if r[1]}
    assert {"betaald_werk", "opleiding_studiefinanciering", "verhuisd"} <= kinds
    open_after_end = _scalar(
        pilot_db,
        """SELECT count(*) FROM group_membership m JOIN outflow o ON o.candidate_id = m.candidate_id
           WHERE coalesce(m.end_date, :open) >= o.outflow_date""",
        open=OPEN_END,
    )
    assert open_after_end == 0


def test_the_report_s_outflow_functions_appear(pilot_db: Database) -> None:
    functions = {r[0] for r in _rows(pilot_db, "SELECT DISTINCT function FROM outflow")}
    for wanted in ("stukadoor", "medewerker horeca", "thuiszorgmedewerker"):
        assert wanted in functions
    assert functions & {"bezorger", "koerier"}
    follow_ups = _rows(pilot_db, "SELECT DISTINCT month FROM outflow_follow_up ORDER BY month")
    assert [r[0] for r in follow_ups] == [1, 3, 6, 12]


def test_every_placement_kind_and_module_is_present(pilot_db: Database) -> None:
    kinds = {r[0] for r in _rows(pilot_db, "SELECT DISTINCT kind FROM opportunity")}
    assert kinds == {"vrijwilligerswerk", "stage", "werkervaringsplaats", "proefplaatsing",
                     "betaald_werk", "opleiding"}  # fmt: skip
    modules = {r[0] for r in _rows(pilot_db, "SELECT DISTINCT module FROM module_progress")}
    assert modules == {"ona", "map", "pvt"}
    exemptions = {r[0] for r in _rows(pilot_db, "SELECT DISTINCT exemption FROM exam_part")}
    assert exemptions == {"geen", "vrijstelling", "ontheffing"}
    assert _scalar(pilot_db, "SELECT count(*) FROM work_profile") > 100


def test_levels_only_rise_per_skill(pilot_db: Database) -> None:
    order = ["alfa_a", "alfa_b", "alfa_c", "a1", "a2", "b1", "b2", "c1"]
    rows = _rows(
        pilot_db,
        "SELECT candidate_id, skill, level FROM assessment ORDER BY candidate_id, skill, "
        "assessed_on",
    )
    last: dict[tuple[int, str], int] = {}
    for candidate, skill, level in rows:
        rank = order.index(level)
        assert rank >= last.get((candidate, skill), 0)
        last[(candidate, skill)] = rank


def test_name_variants_and_no_interviewees(pilot_db: Database) -> None:
    first = {r[0] for r in _rows(pilot_db, "SELECT DISTINCT voornamen FROM candidate")}
    assert len(first & {"Mohammed", "Mohamed", "Muhammad"}) >= 2
    nationalities = {r[0] for r in _rows(pilot_db, "SELECT DISTINCT nationality FROM candidate")}
    assert {"Syrische", "Eritrese", "Afghaanse", "Turkse", "Somalische"} <= nationalities
    names = _rows(
        pilot_db,
        "SELECT achternaam, tussenvoegsel FROM candidate UNION SELECT name, '' FROM teacher "
        "UNION SELECT name, '' FROM klantmanager",
    )
    for last, tussen in names:
        full = f"{tussen} {last}".strip().lower()
        assert full not in INTERVIEWEES
        assert not any(full.endswith(" " + name) for name in INTERVIEWEES)


def test_same_seed_gives_the_same_data(pilot_db: Database, tmp_path: Path) -> None:
    again = _open(tmp_path / "again.sqlite")
    try:
        generate_demo(again, seed=2019, today=TODAY)
        query = "SELECT uid, voornamen, achternaam, bsn FROM candidate ORDER BY id"
        assert _rows(again, query) == _rows(pilot_db, query)
        marks = "SELECT count(*), sum(status_id * lesson_id), max(uid) FROM attendance_mark"
        assert _rows(again, marks) == _rows(pilot_db, marks)
    finally:
        again.close()


def test_another_seed_gives_other_names(tmp_path: Path) -> None:
    early = date(2020, 12, 17)
    names = []
    for seed in (1, 1, 2):
        db = _open(tmp_path / f"seed{len(names)}.sqlite")
        try:
            generate_demo(db, seed=seed, today=early)
            names.append(_rows(db, "SELECT voornamen, achternaam FROM candidate ORDER BY id"))
        finally:
            db.close()
    assert names[0] == names[1]
    assert names[0] != names[2]


def test_a_database_with_data_is_refused(pilot_db: Database) -> None:
    before = _scalar(pilot_db, "SELECT count(*) FROM candidate")
    with pytest.raises(UserError) as caught:
        generate_demo(pilot_db, today=TODAY)
    assert caught.value.message_id == (
        "The database {path} already holds data; demo data goes only into an empty "
        "database. Create a new one with 'kvds --db NEW init'."
    )
    assert caught.value.params == {"path": str(pilot_db.path)}
    assert _scalar(pilot_db, "SELECT count(*) FROM candidate") == before


def test_cancelling_leaves_the_database_empty(tmp_path: Path) -> None:
    db = _open(tmp_path / "cancel.sqlite")
    try:
        with pytest.raises(DemoCancelled):
            generate_demo(db, today=TODAY, cancelled=lambda: True)
        assert _scalar(db, "SELECT count(*) FROM candidate") == 0
        polls = iter(range(1000))
        with pytest.raises(DemoCancelled):
            generate_demo(db, today=TODAY, cancelled=lambda: next(polls) >= 6)
        for table in ("candidate", "lesson", "attendance_mark", "location", "attendance_status"):
            assert _scalar(db, f"SELECT count(*) FROM {table}") == 0
    finally:
        db.close()


def test_progress_rises_to_one(tmp_path: Path) -> None:
    db = _open(tmp_path / "progress.sqlite")
    seen: list[tuple[float, str]] = []
    try:
        generate_demo(db, today=date(2021, 3, 1), progress=lambda f, s: seen.append((f, s)))
    finally:
        db.close()
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and fractions[0] == 0.0
    assert {"candidates", "lessons", "attendance"} <= {s for _, s in seen}


def test_unknown_scale_is_a_value_error(tmp_path: Path) -> None:
    db = _open(tmp_path / "scale.sqlite")
    try:
        with pytest.raises(ValueError, match="unknown demo scale"):
            generate_demo(db, scale="huge", today=TODAY)
    finally:
        db.close()


def test_uids_are_version_4_and_drawn_from_the_seed() -> None:
    first = [random_uid(random.Random(5)) for _ in range(2)]
    assert first[0] == first[1]
    assert random_uid(random.Random(6)) != first[0]
    assert uuid.UUID(first[0]).version == 4
