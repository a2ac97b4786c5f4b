"""Exam parts, attempts and exemptions; MAP / ONA, PVT and Z-route hours; their commands."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from kvds_desktop.domain.progress import ExamStatus
from kvds_desktop.errors import UserError
from kvds_desktop.paths import AppPaths
from kvds_desktop.services import attendance as att
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.progress import exams, modules
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Candidate
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run
from tests.unit.test_attendance_world import MON_1, WED_1, AttendanceWorld, aw

__all__ = ["aw"]

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ACTOR = Actor("tester", "test-pc")
LANGUAGE = ["lezen", "luisteren", "spreken", "schrijven"]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "exams.sqlite", create=True)
    yield database
    database.close()


@pytest.fixture
def copy(pilot_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copy(pilot_file, target)
    return target


def person(
    db: Database,
    law: str = "wi2021",
    route: str | None = "b1",
    target: str | None = None,
    term_start: date | None = date(2025, 3, 1),
    number: str | None = None,
) -> str:
    """A new candidate; returns its uid."""
    with db.session() as session:
        candidate = Candidate(
            voornamen="Amal", achternaam="Haddad", municipality="Druten", law=law, route=route,
            target_level=target, registration_date=date(2024, 11, 1), term_start=term_start,
            status="actief", klantnummer=number,
        )  # fmt: skip
        session.add(candidate)
        session.flush()
        return candidate.uid


def attempt(
    db: Database, uid: str, part: str, day: date, result: str, **extra: object
) -> exams.ExamPartRow:
    return exams.record_exam_attempt(
        db, candidate_uid=uid, part=part, day=day, result=result, actor=ACTOR, today=TODAY,
        now=NOW, **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def count(db: Database, sql: str, **params: object) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def audited(db: Database, action: str) -> int:
    return count(db, "SELECT count(*) FROM audit_entry WHERE action = :a", a=action)


def stored_parts(db: Database) -> int:
    return count(db, "SELECT count(*) FROM exam_part")


# --- which parts apply ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("law", "route", "target", "parts", "level"),
    [
        ("wi2013", "wi2013", None, [*LANGUAGE, "knm", "ona"], "a2"),
        ("wi2021", "b1", None, [*LANGUAGE, "knm", "map", "pvt"], "b1"),
        ("wi2021", "b1", "a2", [*LANGUAGE, "knm", "map", "pvt"], "a2"),  # after afschalen
        ("wi2021", "onderwijs", None, ["knm", "pvt"], None),
        ("wi2021", "z", None, ["map", "pvt"], None),
        ("wi2021", None, None, [], None),  # no PIP yet
        ("geen", "participatie", None, [], None),
    ],
)
def test_the_overview_follows_law_and_route_without_writing(
    db: Database, law: str, route: str | None, target: str | None, parts: list[str],
    level: str | None,
) -> None:  # fmt: skip
    rows = exams.exam_overview(db, person(db, law, route, target))
    assert [r.part for r in rows] == parts
    assert all(r.uid is None and r.status is ExamStatus.NOT_STARTED for r in rows)
    assert all(r.status_text_id == "not started" and r.applies for r in rows)
    assert {r.target_level for r in rows if r.part in LANGUAGE} <= {level}
    assert {r.target_level for r in rows if r.part not in LANGUAGE} <= {None}
    assert stored_parts(db) == 0


def test_the_pilot_overview_shows_the_stored_parts_and_attempts(copy: Path) -> None:
    database = Database.open(copy)
    try:
        with database.engine.connect() as conn:
            uid, count = conn.execute(
                text(
                    "SELECT c.uid, count(a.id) FROM candidate c "
                    "JOIN exam_part p ON p.candidate_id = c.id "
                    "JOIN exam_attempt a ON a.exam_part_id = p.id "
                    "WHERE c.law = 'wi2021' AND c.route = 'b1' "
                    "GROUP BY c.id ORDER BY count(a.id) DESC, c.id LIMIT 1"
                )
            ).one()
        rows = exams.exam_overview(database, uid)
    finally:
        database.close()
    assert [r.part for r in rows] == [*LANGUAGE, "knm", "map", "pvt"]
    assert sum(len(r.attempts) for r in rows) == count
    for row in rows:
        days = [a.day for a in row.attempts]
        assert days == sorted(days)
        assert [a.number for a in row.attempts] == list(range(1, len(days) + 1))
        assert row.passed == any(a.result == "geslaagd" for a in row.attempts)


# --- attempts --------------------------------------------------------------------------


def test_attempts_are_numbered_by_date_and_a_planned_one_gets_its_result(db: Database) -> None:
    uid = person(db)
    attempt(db, uid, "lezen", date(2026, 6, 1), "gezakt", level="A2", score=48)
    attempt(db, uid, "lezen", date(2026, 3, 1), "gezakt")
    row = attempt(db, uid, "lezen", date(2026, 12, 10), "open")
    assert [(a.number, a.day, a.result) for a in row.attempts] == [
        (1, date(2026, 3, 1), "gezakt"),
        (2, date(2026, 6, 1), "gezakt"),
        (3, date(2026, 12, 10), "open"),
    ]
    assert row.attempts[1].level == "a2" and row.attempts[1].score == 48
    assert (row.status, row.target_level, row.passed) == (ExamStatus.PLANNED, "b1", False)
    assert stored_parts(db) == 1  # the part was created with the first attempt
    with pytest.raises(UserError, match="future"):
        attempt(db, uid, "lezen", date(2026, 12, 10), "geslaagd")
    row = attempt(db, uid, "lezen", date(2026, 11, 20), "open")
    row = attempt(db, uid, "lezen", date(2026, 11, 20), "geslaagd", level="b1")
    assert [a.result for a in row.attempts] == ["gezakt", "gezakt", "geslaagd", "open"]
    assert (row.status, row.passed, row.done) == (ExamStatus.PASSED, True, True)
    assert (audited(db, "exam.part"), audited(db, "exam.attempt")) == (1, 4)
    assert audited(db, "exam.result") == 1
    with pytest.raises(UserError, match="was passed on 2026-11-20"):
        attempt(db, uid, "lezen", date(2026, 11, 27), "gezakt")


def test_a_failed_part_says_how_many_attempts(db: Database) -> None:
    uid = person(db)
    attempt(db, uid, "knm", date(2026, 3, 1), "gezakt")
    row = attempt(db, uid, "knm", date(2026, 6, 1), "gezakt")
    assert row.status is ExamStatus.NOT_PASSED
    assert row.status_text_id.format(**row.status_params) == "not passed, attempts: 2"
    with pytest.raises(UserError, match="already has a result on 2026-06-01"):
        attempt(db, uid, "knm", date(2026, 6, 1), "geslaagd")


@pytest.mark.parametrize(
    ("part", "day", "result", "extra", "message"),
    [
        ("rekenen", date(2026, 5, 1), "geslaagd", {}, "Unknown exam part rekenen"),
        ("lezen", date(2026, 5, 1), "prima", {}, "Unknown exam result prima"),
        ("lezen", date(2026, 5, 1), "gezakt", {"score": 1001}, "A score lies between 0 and"),
        ("lezen", date(2026, 5, 1), "gezakt", {"score": -1}, "A score lies between 0 and"),
        ("lezen", date(2026, 5, 1), "gezakt", {"level": "b3"}, "Unknown level b3"),
        ("knm", date(2026, 5, 1), "geslaagd", {"level": "a2"}, "Only a language exam part"),
        ("lezen", date(2026, 11, 29), "geslaagd", {}, "cannot lie in the future"),
        ("ona", date(2026, 5, 1), "geslaagd", {}, "does not apply"),
    ],
)
def test_bad_attempts_are_refused_with_a_clear_message(
    db: Database, part: str, day: date, result: str, extra: dict[str, object], message: str
) -> None:
    uid = person(db)
    with pytest.raises(UserError, match=message):
        attempt(db, uid, part, day, result, **extra)
    assert stored_parts(db) == 0
    assert audited(db, "exam.attempt") == 0


def test_deleting_an_attempt_renumbers_and_is_audited(db: Database) -> None:
    uid = person(db)
    attempt(db, uid, "pvt", date(2026, 3, 1), "gezakt")
    row = attempt(db, uid, "pvt", date(2026, 4, 1), "gezakt")
    row = exams.delete_exam_attempt(db, row.attempts[0].uid, actor=ACTOR, now=NOW)
    assert [(a.number, a.day) for a in row.attempts] == [(1, date(2026, 4, 1))]
    assert audited(db, "exam.attempt.delete") == 1
    with pytest.raises(UserError, match="no longer exists"):
        exams.delete_exam_attempt(db, "gone", actor=ACTOR)
    with pytest.raises(UserError, match="no longer exists"):
        exams.exam_overview(db, "no-such-candidate")


# --- exemptions ------------------------------------------------------------------------


def exempt(db: Database, uid: str, part: str, kind: str, reason: str = "medisch advies",
           day: date = date(2026, 10, 1)) -> exams.ExamPartRow:  # fmt: skip
    return exams.set_exemption(
        db, candidate_uid=uid, part=part, exemption=kind, day=day, reason=reason, actor=ACTOR,
        today=TODAY, now=NOW,
    )  # fmt: skip


def test_an_exemption_needs_a_reason_and_geen_clears_it(db: Database) -> None:
    uid = person(db)
    with pytest.raises(UserError, match="Say why"):
        exempt(db, uid, "schrijven", "ontheffing", reason="  ")
    with pytest.raises(UserError, match="Unknown exemption vrij"):
        exempt(db, uid, "schrijven", "vrij")
    with pytest.raises(UserError, match="future"):
        exempt(db, uid, "schrijven", "ontheffing", day=date(2026, 12, 1))
    assert stored_parts(db) == 0
    row = exempt(db, uid, "schrijven", "ontheffing")
    assert (row.exemption, row.exemption_date, row.exemption_reason) == (
        "ontheffing", date(2026, 10, 1), "medisch advies",
    )  # fmt: skip
    assert (row.status, row.done, row.passed) == (ExamStatus.ONTHEFFING, True, False)
    with pytest.raises(UserError, match="clear the exemption first"):
        attempt(db, uid, "schrijven", date(2026, 11, 1), "geslaagd")
    row = exempt(db, uid, "schrijven", "geen", reason="")
    assert (row.exemption, row.exemption_date, row.exemption_reason) == ("geen", None, "")
    assert row.status is ExamStatus.NOT_STARTED
    assert audited(db, "exam.exemption") == 2
    exempt(db, uid, "knm", "geen", reason="")  # nothing to clear: nothing written
    assert (stored_parts(db), audited(db, "exam.exemption")) == (1, 2)
    assert (
        exempt(db, uid, "knm", "vrijstelling", "eerder behaald").status is ExamStatus.VRIJSTELLING
    )


def test_a_passed_part_needs_no_exemption(db: Database) -> None:
    uid = person(db, "wi2013", "wi2013")
    attempt(db, uid, "ona", date(2026, 5, 1), "geslaagd")
    with pytest.raises(UserError, match="needs no exemption"):
        exempt(db, uid, "ona", "vrijstelling")


# --- modules ---------------------------------------------------------------------------


def item(db: Database, uid: str, module: str, name: str, **extra: object) -> modules.ModuleOverview:
    return modules.record_module_item(
        db, candidate_uid=uid, module=module, item=name, actor=ACTOR, today=TODAY, now=NOW,
        **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def test_map_hours_add_up_and_themes_are_ticked(db: Database) -> None:
    uid = person(db)
    overview = modules.module_overview(db, uid, TODAY)
    assert (overview.kind, overview.hours_needed, overview.practical_hours) == ("MAP", 40.0, 0.0)
    assert [t.item for t in overview.themes][:2] == ["beroepsorientatie", "werknemerscompetenties"]
    assert (overview.themes_done, overview.complete, overview.pvt_applies) == (0, False, True)
    item(db, uid, "map", "praktijkuren", hours=25, completed_on=date(2026, 5, 1))
    overview = item(db, uid, "map", "praktijkuren", hours=20, completed_on=date(2026, 6, 1))
    assert overview.practical_hours == 45.0
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT hours, completed_on FROM module_progress WHERE item = 'praktijkuren'")
        ).all()
    assert [(r[0], str(r[1])) for r in rows] == [(45.0, "2026-06-01")]  # one total, dated
    assert item(db, uid, "map", "praktijkuren", hours=30, total=True).practical_hours == 30.0
    for name in modules.MAP_THEMES:
        overview = item(db, uid, "map", name.replace("_", " "), completed_on=date(2026, 7, 1))
    overview = item(db, uid, "map", "Beroepsoriëntatie", note="bij de bakker")
    assert overview.themes[0] == modules.ThemeRow("beroepsorientatie", TODAY, "bij de bakker")
    assert (overview.themes_done, overview.complete) == (8, False)
    overview = item(db, uid, "map", "eindgesprek", completed_on=date(2026, 11, 2))
    assert (overview.final_interview, overview.complete) == (date(2026, 11, 2), False)  # 30 h
    overview = item(db, uid, "map", "praktijkuren", hours=10)
    assert overview.complete
    overview = item(db, uid, "pvt", "participatieverklaring", completed_on=date(2026, 4, 2))
    assert overview.pvt_signed == date(2026, 4, 2)
    overview = modules.clear_module_item(
        db, candidate_uid=uid, module="map", item="werkcultuur", actor=ACTOR, today=TODAY
    )
    assert (overview.themes_done, overview.complete) == (7, False)
    assert audited(db, "module.item") == 15 and audited(db, "module.item.clear") == 1


@pytest.mark.parametrize(
    ("law", "route", "module", "name", "extra", "message"),
    [
        ("wi2021", "b1", "map", "koken", {}, "Unknown item koken of MAP"),
        ("wi2021", "b1", "ona", "resultaatkaart 1", {}, "ONA does not apply"),
        ("wi2021", "onderwijs", "map", "werkcultuur", {}, "MAP does not apply"),
        ("wi2021", "b1", "blok", "werkcultuur", {}, "Unknown module blok"),
        ("wi2021", "b1", "map", "praktijkuren", {}, "hours to add"),
        ("wi2021", "b1", "map", "praktijkuren", {"hours": -2}, "Hours lie between"),
        ("wi2021", "b1", "map", "werkcultuur", {"completed_on": date(2026, 12, 1)}, "future"),
        ("wi2013", "wi2013", "pvt", "participatieverklaring", {}, "PVT does not apply"),
    ],
)
def test_bad_module_items_are_refused(
    db: Database, law: str, route: str, module: str, name: str, extra: dict[str, object],
    message: str,
) -> None:  # fmt: skip
    uid = person(db, law, route)
    with pytest.raises(UserError, match=message):
        item(db, uid, module, name, **extra)
    assert audited(db, "module.item") == 0


def test_ona_is_complete_with_cards_and_interview_or_64_hours(db: Database) -> None:
    cards, hours = person(db, "wi2013", "wi2013"), person(db, "wi2013", "wi2013")
    for n in range(1, 9):
        overview = item(db, cards, "ona", str(n), completed_on=date(2026, 3, n))
    assert overview.themes[7].item == "resultaatkaart 8"
    assert (overview.kind, overview.themes_done, overview.complete) == ("ONA", 8, False)
    assert item(db, cards, "ona", "final interview").complete
    overview = item(db, hours, "ona", "praktijkuren", hours=63)
    assert (overview.hours_needed, overview.complete) == (64.0, False)
    assert item(db, hours, "ona", "praktijkuren", hours=1).complete


def test_a_passed_or_exempted_module_part_completes_the_module(db: Database) -> None:
    uid = person(db, "wi2021", "z")
    attempt(db, uid, "map", date(2026, 5, 1), "geslaagd")
    assert modules.module_overview(db, uid, TODAY).complete


def test_z_route_hours_come_from_attendance(aw: AttendanceWorld) -> None:
    uid = aw.people["Amal"]
    with aw.db.session() as session:
        session.connection().execute(
            text("UPDATE candidate SET route = 'z', term_start = '2026-09-01' WHERE uid = :u"),
            {"u": uid},
        )
    aw.mark(MON_1, "Amal", "L", minutes=30)  # 2.5 hours of NT2, 30 minutes late
    aw.mark(WED_1, "Amal", "A")  # 2 hours of participation
    overview = modules.module_overview(aw.db, uid, TODAY)
    figures = att.figures_for_candidate(aw.db, uid, date(2026, 9, 1), TODAY)
    assert overview.z_route and overview.kind == "MAP"
    assert (overview.z_language_hours, overview.z_participation_hours) == (2.0, 2.0)
    assert overview.z_language_hours == figures.z_route_language_hours
    assert (overview.z_language_needed, overview.z_participation_needed) == (800.0, 800.0)
    other = modules.module_overview(aw.db, aw.people["Bilal"], TODAY)  # no route, no PIP yet
    assert (other.z_route, other.z_language_hours, other.kind) == (False, 0.0, None)


# --- the commands ----------------------------------------------------------------------


def _klantnummer(path: Path, route: str) -> str:
    database = Database.open(path)
    query = ("SELECT klantnummer FROM candidate WHERE law = 'wi2021' AND route = :r "
             "AND status = 'actief' AND klantnummer IS NOT NULL ORDER BY id LIMIT 1")  # fmt: skip
    try:
        with database.engine.connect() as conn:
            return str(conn.execute(text(query), {"r": route}).scalar_one())
    finally:
        database.close()


def test_kvds_exams_shows_parts_and_module(app_paths: AppPaths, copy: Path) -> None:
    ref = _klantnummer(copy, "z")
    shown = data(run(app_paths, copy, "exams", "--candidate", ref, "--json"))
    assert [p["part"] for p in shown["parts"]] == ["map", "pvt"]
    assert shown["module"]["kind"] == "MAP" and shown["module"]["z_route"]
    assert shown["module"]["z_language_hours"] > 0
    assert data(run(app_paths, copy, "exams", "show", "--candidate", ref, "--json")) == shown
    code, out, _ = run(app_paths, copy, "exams", "--candidate", ref)
    assert code == 0 and "Z route:" in out and "MAP:" in out
    code, _, err = run(app_paths, copy, "exams")
    assert code == 1 and "--candidate" in err


def _open_part(path: Path) -> tuple[str, str]:
    """(klantnummer, part) of an active candidate with an exam part still to do."""
    database = Database.open(path)
    try:
        with database.engine.connect() as conn:
            people = conn.execute(
                text(
                    "SELECT uid, klantnummer FROM candidate WHERE law = 'wi2021' "
                    "AND status = 'actief' AND klantnummer IS NOT NULL ORDER BY id"
                )
            ).all()
        for uid, number in people:
            for row in exams.exam_overview(database, uid):
                if not row.done and not row.attempts:
                    return str(number), row.part
    finally:
        database.close()
    raise AssertionError("the pilot has no active candidate with a part to do")


def test_kvds_exams_attempt_exempt_delete_round_trip(app_paths: AppPaths, copy: Path) -> None:
    ref, part = _open_part(copy)
    exam = ("exams", "attempt", "--candidate", ref, "--part", part)
    saved = data(run(app_paths, copy, *exam, "--date", "2026-11-20", "--result", "gezakt",
                     "--score", "55", "--json"))  # fmt: skip
    (first,) = saved["part"]["attempts"]
    assert (first["number"], first["date"], first["result"]) == (1, "2026-11-20", "gezakt")
    assert (first["score"], saved["part"]["status"]) == (55.0, "not_passed")
    assert saved["part"]["status_text"] == "not passed, attempts: 1"
    code, _, err = run(app_paths, copy, *exam, "--date", "2026-12-20", "--result", "geslaagd")
    assert code == 1 and "future" in err
    code, _, err = run(app_paths, copy, "exams", "attempt", "--candidate", ref, "--part", "abc",
                       "--date", "2026-11-20", "--result", "geslaagd")  # fmt: skip
    assert code == 1 and "Unknown exam part abc" in err
    deleted = data(run(app_paths, copy, "exams", "delete", "--attempt", first["uid"], "--json"))
    assert deleted["part"]["attempts"] == []
    exemption = ("exams", "exempt", "--candidate", ref, "--part", part, "--kind", "vrijstelling")
    code, _, err = run(app_paths, copy, *exemption)
    assert code == 1 and "Say why" in err
    exempted = data(run(app_paths, copy, *exemption, "--date", "01-11-2026", "--reason",
                        "eerder behaald diploma", "--json"))  # fmt: skip
    assert exempted["part"]["exemption_date"] == "2026-11-01"
    assert exempted["part"]["status_text"] == "exempted (vrijstelling)"
    shown = data(run(app_paths, copy, "exams", "--candidate", ref, "--json"))
    assert next(p for p in shown["parts"] if p["part"] == part) == exempted["part"]


def test_kvds_module_round_trip(app_paths: AppPaths, copy: Path) -> None:
    ref = _klantnummer(copy, "b1")
    before = data(run(app_paths, copy, "exams", "--candidate", ref, "--json"))["module"]
    added = data(run(app_paths, copy, "module", "--candidate", ref, "--hours", "4.5", "--json"))
    assert added["module"]["practical_hours"] == before["practical_hours"] + 4.5
    total = data(run(app_paths, copy, "module", "--candidate", ref, "--hours", "12", "--total",
                     "--json"))  # fmt: skip
    assert total["module"]["practical_hours"] == 12.0
    ticked = data(run(app_paths, copy, "module", "--candidate", ref, "--item", "werk vinden",
                      "--done", "2026-11-27", "--json"))  # fmt: skip
    theme = next(t for t in ticked["module"]["themes"] if t["item"] == "werk_vinden")
    assert theme["completed_on"] == "2026-11-27"
    interview = data(run(app_paths, copy, "module", "--candidate", ref, "--final-interview",
                         "2026-11-26", "--json"))  # fmt: skip
    assert interview["module"]["final_interview"] == "2026-11-26"
    signed = data(run(app_paths, copy, "module", "--candidate", ref, "--pvt-signed",
                      "2026-11-25", "--json"))  # fmt: skip
    assert signed["module"]["pvt_signed"] == "2026-11-25"
    code, _, err = run(app_paths, copy, "module", "--candidate", ref, "--item", "koken")
    assert code == 1 and "Unknown item koken of MAP" in err
    code, _, _ = run(app_paths, copy, "module", "--candidate", ref)
    assert code == 2  # one of --hours, --item, --final-interview, --pvt-signed is needed
