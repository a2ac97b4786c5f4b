"""Assessments, progress summaries and the progress export: constructed candidates and the pilot.

The constructed world is one group in Druten (Mondays 09:00-11:30 in a room, Wednesdays
13:00-15:00 online) from 31 August 2026, with four members whose PIPs, levels and marks
are chosen so that each has a known outlook.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from kvds_desktop.domain.enums import ENDED_STATUSES
from kvds_desktop.domain.progress import EXAM_SKILLS, Outlook, can_afschalen
from kvds_desktop.errors import UserError
from kvds_desktop.exchange.progress_export import export_progress, headers
from kvds_desktop.exchange.tabular import read_table
from kvds_desktop.services import attendance as att
from kvds_desktop.services import progress
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.candidates import add_pip_version, extend_term
from kvds_desktop.store.database import Database
from tests.fixtures.libreoffice import LibreOffice, requires_soffice
from tests.unit.scheduling_world import ACTOR, World

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
FIRST = date(2026, 8, 31)  # a Monday
MONDAYS = 13  # 31 Aug .. 23 Nov: 2.5 hours each, in a room
WEDNESDAYS = 13  # 2 Sep .. 25 Nov: 2 hours each, online


@dataclass
class ProgressWorld:
    """The scheduling World with one group and four members with known trajectories."""

    world: World
    group: str
    people: dict[str, str]  # first name -> candidate uid

    @property
    def db(self) -> Database:
        return self.world.db


def _levels(world: World, uid: str, days: list[date], levels: list[str], skills: Any) -> None:
    for skill in skills:
        for day, level in zip(days, levels, strict=True):
            world.assess(uid, skill, level, day)


def build(folder: Path) -> ProgressWorld:
    """Amal on track, Bilal late, Chaya stalled (a PIP target A2), Dawit without a PIP."""
    world = World.create(folder)
    db = world.db
    group = world.group("DRU-A1", start=FIRST)
    world.slot(group, 1, time(9, 0), time(11, 30), valid_from=FIRST)
    world.slot(group, 3, time(13, 0), time(15, 0), online=True, room=None, valid_from=FIRST)
    world.generate(FIRST, date(2026, 11, 30), today=date(2026, 8, 1))
    people = {}
    names = (("Amal", "Haddad", "D001"), ("Bilal", "Nasser", "D002"),
             ("Chaya", "Berhane", "D003"), ("Dawit", "Tesfaye", "D004"))  # fmt: skip
    for first, last, number in names:
        uid = world.candidate(first, last, number)
        svc.add_member(db, group, uid, FIRST, ACTOR)
        people[first] = uid

    def pip(who: str, day: date, target: str | None = None) -> None:
        add_pip_version(db, people[who], decision_date=day, route="b1", target_level=target,
                        reason="", actor=ACTOR, today=TODAY)  # fmt: skip

    pip("Amal", date(2026, 9, 30))  # term from 1 Oct 2026 to 30 Sep 2029, target from the route
    pip("Bilal", date(2023, 12, 1))  # term ends 1 Dec 2026 ...
    extend_term(
        db, people["Bilal"], months=6, reason="ziekte", decided_on=date(2026, 11, 1), actor=ACTOR
    )  # fmt: skip  ... extended to 1 Jun 2027
    pip("Chaya", date(2025, 3, 3), target="a2")
    half_years = [date(2025, 12, 1), date(2026, 6, 1)]
    _levels(world, people["Amal"], half_years, ["a1", "a2"], EXAM_SKILLS)  # B1 on 30 Nov 2026
    _levels(world, people["Bilal"], [date(2025, 5, 1), date(2026, 6, 1)], ["a1", "a2"], EXAM_SKILLS)
    _levels(world, people["Chaya"], half_years, ["a1", "a2"], EXAM_SKILLS[:3])
    _levels(world, people["Chaya"], half_years, ["a1", "a1"], EXAM_SKILLS[3:])
    world.assess(people["Chaya"], "gesprekken", "a1", date(2026, 6, 1))
    world.assess(people["Dawit"], "lezen", "alfa_b", date(2026, 9, 1))
    for lesson in world.lessons(FIRST, TODAY):
        world.mark(lesson.uid, people["Amal"])
        world.mark(lesson.uid, people["Dawit"])
    return ProgressWorld(world, group, people)


@pytest.fixture
def pw(tmp_path: Path) -> Iterator[ProgressWorld]:
    built = build(tmp_path)
    yield built
    built.world.close()


@pytest.fixture
def pilot(pilot_file: Path, tmp_path: Path) -> Iterator[Database]:
    target = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, target)
    db = Database.open(target)
    yield db
    db.close()


def _audit(db: Database, action: str) -> int:
    with db.engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM audit_entry WHERE action = :a"), {"a": action}
            ).scalar_one()
        )


def _record(pw: ProgressWorld, **changes: Any) -> progress.AssessmentRow:
    values: dict[str, Any] = {
        "candidate_uid": pw.people["Amal"], "skill": "lezen", "level": "b1",
        "day": TODAY, "instrument": "voortgangstoets", "assessor": "  Anna  de Vries ",
    }  # fmt: skip
    values.update(changes)
    return progress.record_assessment(pw.db, actor=ACTOR, today=TODAY, now=NOW, **values)


# -- assessments ---------------------------------------------------------------------------


def test_a_recorded_assessment_is_in_the_history_oldest_first_and_audited(
    pw: ProgressWorld,
) -> None:
    row = _record(pw, note=" na de toets ")
    history = progress.assessment_history(pw.db, pw.people["Amal"])
    assert history[-1] == row
    assert (row.assessor, row.note, row.instrument) == ("Anna de Vries", "na de toets",
                                                         "voortgangstoets")  # fmt: skip
    assert [a.day for a in history] == sorted(a.day for a in history)
    assert len(history) == 9
    assert _audit(pw.db, "assessment.create") == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"skill": "rekenen"}, "Unknown skill rekenen"),
        ({"level": "b3"}, "Unknown level b3"),
        ({"level": "B1"}, "Unknown level B1"),  # the service takes codes; labels: level_code
        ({"instrument": "gok"}, "Unknown instrument gok"),
        ({"day": TODAY + timedelta(days=1)}, "2026-11-29 lies in the future"),
        ({"candidate_uid": "no-such-uid"}, "This candidate no longer exists"),
        ({"assessor": "x" * 121}, "longer than 120 characters"),
    ],
)
def test_a_wrong_assessment_is_refused_and_nothing_is_written(
    pw: ProgressWorld, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        _record(pw, **changes)
    assert _audit(pw.db, "assessment.create") == 0
    assert len(progress.assessment_history(pw.db, pw.people["Amal"])) == 8


def test_codes_and_labels_are_read_in_any_case() -> None:
    assert [progress.level_code(t) for t in ("B1", "alfa_a", "Alfa A", "ALFA-B", " a2 ")] == [
        "b1", "alfa_a", "alfa_a", "alfa_b", "a2",
    ]  # fmt: skip
    assert [progress.skill_code(t) for t in ("Lezen", "reading", "CONVERSATION")] == [
        "lezen", "lezen", "gesprekken",
    ]  # fmt: skip
    translated = {"reading": "lezing"}  # a language in which the label differs from the code
    assert progress.skill_code("Lezing", lambda m: translated.get(m, m)) == "lezen"
    assert [progress.instrument_code(t) for t in ("examen", "Exam", "observation",
                                                  "Placement test")] == [
        "examen", "examen", "observatie", "plaatsingstoets",
    ]  # fmt: skip
    for parse, text_ in ((progress.level_code, "B3"), (progress.skill_code, "rekenen"),
                         (progress.instrument_code, "")):  # fmt: skip
        with pytest.raises(UserError):
            parse(text_)


def test_a_group_grid_is_written_at_once_and_empty_cells_are_skipped(pw: ProgressWorld) -> None:
    amal, bilal = pw.people["Amal"], pw.people["Bilal"]
    grid = [(amal, "lezen", "b1"), (amal, "spreken", ""), (bilal, "lezen", " a2 "),
            (bilal, "schrijven", "  ")]  # fmt: skip
    kwargs: dict[str, Any] = {"day": TODAY, "instrument": "observatie", "assessor": "Anna",
                              "actor": ACTOR, "today": TODAY, "now": NOW}  # fmt: skip
    assert progress.record_assessments(pw.db, entries=grid, **kwargs) == 2
    assert progress.record_assessments(pw.db, entries=grid, **kwargs) == 0  # saved twice
    assert _audit(pw.db, "assessment.create") == 2
    latest = progress.latest_levels(pw.db, [amal, bilal, "no-such-uid"], TODAY)
    assert latest[amal]["lezen"] == "b1" and latest[bilal]["lezen"] == "a2"
    assert latest[amal]["spreken"] == "a2"  # nothing entered: the earlier level stays
    assert set(latest) == {amal, bilal}
    assert progress.latest_levels(pw.db, [amal], date(2026, 1, 1))[amal]["lezen"] == "a1"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (("{bilal}", "lezen", "b7"), "Unknown level b7"),
        (("{bilal}", "tekenen", "a1"), "Unknown skill tekenen"),
        (("no-such-uid", "lezen", "a1"), "This candidate no longer exists"),
        (("{amal}", "lezen", "a2"), "entered twice"),
    ],
)
def test_one_wrong_cell_in_a_grid_writes_nothing(
    pw: ProgressWorld, bad: tuple[str, str, str], message: str
) -> None:
    who = bad[0].format(amal=pw.people["Amal"], bilal=pw.people["Bilal"])
    grid = [(pw.people["Amal"], "lezen", "b1"), (who, bad[1], bad[2])]
    with pytest.raises(UserError, match=message):
        progress.record_assessments(pw.db, entries=grid, day=TODAY, instrument="observatie",
                                    assessor="", actor=ACTOR, today=TODAY)  # fmt: skip
    assert _audit(pw.db, "assessment.create") == 0
    assert progress.latest_levels(pw.db, [pw.people["Amal"]], TODAY)[pw.people["Amal"]] == {
        skill.value: "a2" for skill in EXAM_SKILLS
    }


def test_deleting_an_assessment_is_audited_with_its_values(pw: ProgressWorld) -> None:
    row = _record(pw)
    progress.delete_assessment(pw.db, row.uid, actor=ACTOR, now=NOW)
    assert row not in progress.assessment_history(pw.db, pw.people["Amal"])
    with pw.db.engine.connect() as conn:
        old = conn.execute(
            text("SELECT old_values FROM audit_entry WHERE action = 'assessment.delete'")
        ).scalar_one()
    assert '"level": "b1"' in old and '"skill": "lezen"' in old
    with pytest.raises(UserError, match="no longer exists"):
        progress.delete_assessment(pw.db, row.uid, actor=ACTOR)


# -- summaries on the constructed world ----------------------------------------------------


def test_a_steady_riser_is_on_track_with_hours_since_the_term_start(pw: ProgressWorld) -> None:
    amal = progress.candidate_progress(pw.db, pw.people["Amal"], TODAY)
    assert (amal.name, amal.klantnummer, amal.law, amal.route) == (
        "Amal Haddad", "D001", "wi2021", "b1",
    )  # fmt: skip
    assert (amal.target, amal.target_source) == ("b1", "route")
    assert amal.term_end == date(2029, 9, 30)
    assert [f.skill for f in amal.forecasts] == [s.value for s in EXAM_SKILLS]
    assert {f.outlook for f in amal.forecasts} == {Outlook.ON_TRACK}
    assert {f.reach_date for f in amal.forecasts} == {date(2026, 11, 30)}
    assert amal.worst is Outlook.ON_TRACK and not amal.at_risk
    assert amal.groups == ("DRU-A1",)
    # Only lessons from the term start (1 Oct): 8 Mondays and 8 Wednesdays.
    assert (amal.hours_followed, amal.hours_in_person) == (8 * 2.5 + 8 * 2.0, 8 * 2.5)
    assert amal.afschalen_possible is False


def test_without_a_term_the_hours_count_from_the_registration(pw: ProgressWorld) -> None:
    dawit = progress.candidate_progress(pw.db, pw.people["Dawit"], TODAY)
    assert (dawit.route, dawit.target, dawit.term_end) == ("", None, None)
    assert dawit.hours_followed == MONDAYS * 2.5 + WEDNESDAYS * 2.0
    assert dawit.hours_in_person == MONDAYS * 2.5
    assert dawit.worst is Outlook.NO_TARGET
    assert dawit.forecasts[0].latest == "alfa_b"


def test_a_slow_riser_is_late_against_the_extended_term_end(pw: ProgressWorld) -> None:
    bilal = progress.candidate_progress(pw.db, pw.people["Bilal"], TODAY)
    assert bilal.term_end == date(2027, 6, 1)  # 1 Dec 2026 moved by six months
    assert bilal.worst is Outlook.LATE and bilal.at_risk
    lezen = bilal.forecast("lezen")
    assert lezen is not None and lezen.reach_date == date(2027, 7, 2)  # one step per 396 days
    assert (bilal.hours_followed, bilal.hours_in_person) == (0.0, 0.0)  # never marked


def test_a_pip_target_wins_and_gesprekken_is_shown_when_assessed(pw: ProgressWorld) -> None:
    chaya = progress.candidate_progress(pw.db, pw.people["Chaya"], TODAY)
    assert (chaya.target, chaya.target_source) == ("a2", "pip")
    outlooks = {f.skill: f.outlook for f in chaya.forecasts}
    assert outlooks == {"lezen": Outlook.REACHED, "luisteren": Outlook.REACHED,
                        "spreken": Outlook.REACHED, "schrijven": Outlook.STALLED,
                        "gesprekken": Outlook.UNKNOWN}  # fmt: skip
    assert chaya.worst is Outlook.STALLED  # gesprekken is no exam skill: it does not count


def test_a_group_lists_who_will_not_reach_the_target_and_why(pw: ProgressWorld) -> None:
    group = progress.group_progress(pw.db, pw.group, TODAY)
    assert (group.group_name, group.location, group.level_band) == ("DRU-A1", "Druten", "A1-A2")
    assert [r.name for r in group.rows] == ["Chaya Berhane", "Amal Haddad", "Bilal Nasser",
                                            "Dawit Tesfaye"]  # fmt: skip
    assert [(r.name, r.worst) for r in group.at_risk] == [
        ("Chaya Berhane", Outlook.STALLED), ("Bilal Nasser", Outlook.LATE),
    ]  # fmt: skip
    chaya = group.at_risk[0]
    assert [f.skill for f in chaya.forecasts if f.outlook is Outlook.STALLED] == ["schrijven"]
    assert group.spread == {
        "gesprekken": 0,
        "lezen": 3,
        "luisteren": 0,
        "schrijven": 1,
        "spreken": 0,
    }  # fmt: skip  Dawit alfa_b .. A2 on lezen
    with pytest.raises(UserError, match="group no longer exists"):
        progress.group_progress(pw.db, "no-such-group", TODAY)


def test_progress_rows_take_the_given_candidates_or_everyone_in_progress(
    pw: ProgressWorld,
) -> None:
    everyone = progress.progress_rows(pw.db, today=TODAY)
    assert [r.name for r in everyone] == [r.name for r in progress.group_progress(
        pw.db, pw.group, TODAY).rows]  # fmt: skip
    with pw.db.session() as session:
        session.connection().execute(
            text("UPDATE candidate SET status = 'uitgestroomd' WHERE klantnummer = 'D004'")
        )
    assert len(progress.progress_rows(pw.db, today=TODAY)) == 3
    some = progress.progress_rows(pw.db, today=TODAY,
                                  candidate_uids=[pw.people["Dawit"], "no-such-uid"])  # fmt: skip
    assert [r.name for r in some] == ["Dawit Tesfaye"]  # asked for by name: ended or not
    with pytest.raises(UserError, match="candidate no longer exists"):
        progress.candidate_progress(pw.db, "no-such-uid", TODAY)


# -- summaries on the pilot ----------------------------------------------------------------


@contextmanager
def _statements(db: Database) -> Iterator[list[object]]:
    """Collects the SQL statements sent over ``db`` inside the block."""
    seen: list[object] = []

    def add(*args: object) -> None:
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", add)
    yield seen
    event.remove(db.engine, "before_cursor_execute", add)


def test_pilot_progress_covers_everyone_in_progress_in_a_few_queries(pilot: Database) -> None:
    with _statements(pilot) as sql:
        rows = progress.progress_rows(pilot, today=TODAY)
    assert len(sql) <= 10  # bulk reads, not one query per candidate
    with pilot.engine.connect() as conn:
        expected = conn.execute(
            text("SELECT count(*) FROM candidate WHERE merged_into_id IS NULL AND status NOT IN "
                 f"({', '.join(repr(s.value) for s in ENDED_STATUSES)})")
        ).scalar_one()  # fmt: skip
    assert len(rows) == expected
    for row in rows:
        exam = [f for f in row.forecasts if f.skill in {s.value for s in EXAM_SKILLS}]
        assert len(exam) == 4
        assert row.hours_in_person <= row.hours_followed
        if row.target is None:
            assert row.worst is Outlook.NO_TARGET
        assert row.afschalen_possible == (
            row.law == "wi2021" and row.target == "b1"
            and can_afschalen(row.hours_followed, row.hours_in_person)
        )  # fmt: skip
    assert {Outlook.LATE, Outlook.STALLED, Outlook.ON_TRACK} <= {r.worst for r in rows}
    assert any(r.afschalen_possible for r in rows)


def test_pilot_hours_are_the_attendance_figures_since_the_term_start(pilot: Database) -> None:
    rows = progress.progress_rows(pilot, today=TODAY)
    with pilot.engine.connect() as conn:
        starts = dict(conn.execute(
            text("SELECT uid, coalesce(term_start, registration_date) FROM candidate")
        ).all())  # fmt: skip
    checked = 0
    for row in rows:
        start = date.fromisoformat(str(starts[row.candidate_uid]))
        if row.hours_followed == 0 or start > TODAY:
            continue
        figures = att.figures_for_candidate(pilot, row.candidate_uid, start, TODAY)
        assert row.hours_followed == pytest.approx(figures.hours_followed, abs=0.005)
        assert row.hours_in_person == pytest.approx(figures.in_person_hours_followed, abs=0.005)
        checked += 1
    assert checked > 50


def test_pilot_group_progress_matches_the_members_and_the_candidate_view(
    pilot: Database,
) -> None:
    groups = svc.group_rows(pilot, TODAY)
    biggest = max(groups, key=lambda g: g.members_now)
    with _statements(pilot) as sql:
        group = progress.group_progress(pilot, biggest.uid, TODAY)
    assert len(sql) <= 12
    members = svc.group_members(pilot, biggest.uid, TODAY)
    assert [r.candidate_uid for r in group.rows] == [m.candidate_uid for m in members]
    assert group.spread == biggest.level_spread  # the groups page shows the same spread
    for row in group.rows[:3]:
        assert progress.candidate_progress(pilot, row.candidate_uid, TODAY) == row


# -- export --------------------------------------------------------------------------------


def _export_rows(pw: ProgressWorld) -> list[Any]:
    return [progress.export_row(r) for r in progress.group_progress(pw.db, pw.group, TODAY).rows]


def test_the_csv_export_has_one_row_per_candidate_and_no_bsn(
    pw: ProgressWorld, tmp_path: Path
) -> None:
    out = tmp_path / "voortgang.csv"
    assert export_progress(_export_rows(pw), out, language="nl") == 4
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert lines[0] == headers()
    assert lines[0][:6] == ["klantnummer", "naam", "wet", "leerroute", "streefniveau",
                            "einde inburgeringstermijn"]  # fmt: skip
    assert not any("bsn" in h.casefold() for h in lines[0])
    bilal = dict(zip(lines[0], lines[3], strict=True))
    assert bilal["klantnummer"] == "D002" and bilal["naam"] == "Bilal Nasser"
    assert (bilal["wet"], bilal["leerroute"], bilal["streefniveau"]) == ("Wi2021", "B1", "B1")
    assert bilal["einde inburgeringstermijn"] == "2027-06-01"
    assert bilal["afschalen mogelijk"] == "nee"
    assert bilal["lezen niveau"] == "A2" and bilal["lezen prognose"] == "2027-07-02"
    dawit = dict(zip(lines[0], lines[4], strict=True))
    assert dawit["uren gevolgd"] == "58,5" and dawit["uren fysiek gevolgd"] == "32,5"
    assert dawit["streefniveau"] == "" and dawit["lezen niveau"] == "Alfa B"


def test_the_export_refuses_a_wrong_extension_or_an_unwritable_place(
    pw: ProgressWorld, tmp_path: Path
) -> None:
    rows = _export_rows(pw)
    with pytest.raises(UserError, match=r"ending in \.csv or \.xlsx"):
        export_progress(rows, tmp_path / "voortgang.pdf", language="en")
    with pytest.raises(UserError, match="does not exist"):
        export_progress(rows, tmp_path / "missing" / "voortgang.csv", language="en")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(UserError, match="is a folder"):
        export_progress(rows, folder, language="en")
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_the_xlsx_export_reads_back_with_the_same_values(pw: ProgressWorld, tmp_path: Path) -> None:
    out = tmp_path / "voortgang.xlsx"
    assert export_progress(_export_rows(pw), out, language="en") == 4
    table = read_table(out)
    assert table.headers == headers()
    first = dict(zip(table.headers, table.rows[0].values, strict=True))
    assert first["naam"] == "Chaya Berhane" and first["verwachting"] == "no progress"
    assert first["schrijven verwachting"] == "no progress"
    assert first["afschalen mogelijk"] == "no"


@requires_soffice
def test_libreoffice_opens_the_xlsx_export_with_the_right_headers(
    pw: ProgressWorld, tmp_path: Path
) -> None:
    out = tmp_path / "voortgang.xlsx"
    export_progress(_export_rows(pw), out, language="nl")
    converted = LibreOffice(tmp_path / "lo").convert(out, "csv", tmp_path / "csv")
    lines = list(csv.reader(converted.read_text(encoding="utf-8").splitlines()))
    assert lines[0] == headers()
    assert len(lines) == 5
    bilal = dict(zip(lines[0], lines[3], strict=True))
    assert bilal["klantnummer"] == "D002"
    assert bilal["einde inburgeringstermijn"] == "2027-06-01"
    assert bilal["lezen prognose"] == "2027-07-02"
