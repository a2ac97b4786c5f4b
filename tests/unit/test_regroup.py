"""Regrouping: moves between a location's groups that narrow level spreads, made safely.

On the pilot data the proposal lowers the largest spread or says it is minimal, and
making every move keeps groups within capacity and adds no timetable clash. Small
worlds with a known optimum check the rules one at a time: capacity, clashes with other
lessons and placements, level bands, the move limit; then re-checks at apply time, bad
input, and the command.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlmodel import Session

from kvds_desktop.errors import UserError
from kvds_desktop.paths import AppPaths
from kvds_desktop.services import regroup
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.regroup import model
from kvds_desktop.services.scheduling.common import AUDIT
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import Organisation, Placement
from tests.cli_support import json_result, run_cli
from tests.unit.scheduling_world import ACTOR, GROUP_START, TODAY, World

JOINED = date(2026, 9, 1)
MEASURED = date(2026, 10, 1)


# -- the pilot: the "done when" ------------------------------------------------------


def _location_rows(db: Database, location: str, on: date) -> dict[str, svc.GroupRow]:
    return {r.name: r for r in svc.group_rows(db, on) if r.location == location}


def _candidate_clashes(db: Database, start: date, end: date) -> set[tuple[str, ...]]:
    found = svc.find_conflicts(db, start=start, end=end)
    return {c.lesson_uids for c in found if c.kind is svc.ConflictKind.CANDIDATE_DOUBLE}


def _placement_days(db: Database, candidate_uid: str, start: date, end: date) -> set[date]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.start_date, p.end_date, p.days FROM placement p "
                "JOIN candidate c ON c.id = p.candidate_id WHERE c.uid = :uid"
            ),
            {"uid": candidate_uid},
        ).all()
    days = set()
    for first, last, weekdays in rows:
        wanted = {int(d) for d in weekdays.split(",") if d.strip().isdigit()}
        day = start
        while day <= end:
            in_period = date.fromisoformat(str(first)) <= day and (
                last is None or day <= date.fromisoformat(str(last))
            )
            if in_period and day.isoweekday() in wanted:
                days.add(day)
            day += timedelta(days=1)
    return days


@pytest.mark.parametrize("location", ["Druten", "wijchen"])
def test_the_pilot_proposal_narrows_spreads_and_applies_within_the_rules(
    pilot_file: Path, tmp_path: Path, reference_date: date, location: str
) -> None:
    path = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, path)
    db = Database.open(path)
    try:
        proposal = regroup.propose_regrouping(db, location=location, today=reference_date)
        name = proposal.location
        rows = _location_rows(db, name, reference_date)
        assert {g: r.level_spread for g, r in rows.items() if r.level_spread} == {
            g: s for g, s in proposal.spread_before.items() if s
        }  # the same spreads as the groups list
        assert proposal.largest_after < proposal.largest_before or proposal.already_minimal
        assert proposal.largest_after <= proposal.largest_before
        assert proposal.solver_status == "optimal"  # a pilot location is small
        total = sum(sum(s.values()) for s in proposal.spread_after.values())
        assert total <= sum(sum(s.values()) for s in proposal.spread_before.values())

        on, end = reference_date, proposal.horizon_end
        clashes_before = _candidate_clashes(db, on, end)
        audit_before = _audit_count(db)
        for move in proposal.moves:
            regroup.apply_move(db, move, on=on, actor=ACTOR)
        after = _location_rows(db, name, on)
        for group, row in after.items():
            assert row.members_now <= max(row.capacity, rows[group].members_now)
        assert {g: r.level_spread for g, r in after.items() if r.level_spread} == {
            g: s for g, s in proposal.spread_after.items() if s
        }
        assert _candidate_clashes(db, on, end) <= clashes_before
        for move in proposal.moves:
            busy = _lesson_days(db, move.candidate_uid, on, end)
            assert not busy & _placement_days(db, move.candidate_uid, on, end)
        assert _audit_count(db) == audit_before + 2 * len(proposal.moves)
    finally:
        db.close()
    if name == "Wijchen":
        assert proposal.moves  # the pilot's Wijchen groups can be narrowed


def _lesson_days(db: Database, candidate_uid: str, start: date, end: date) -> set[date]:
    lessons = svc.lessons_between(db, start, end, candidate_uid=candidate_uid)
    return {lesson.lesson_date for lesson in lessons if not lesson.cancelled}


def _audit_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return len(conn.execute(select(AUDIT.c.id)).all())


# -- small worlds with a known optimum -------------------------------------------------------


@dataclass
class Town:
    """A scheduling world with helpers for groups with bands and levelled members."""

    world: World

    @property
    def db(self) -> Database:
        return self.world.db

    def group(self, name: str, band: str = "", capacity: int = 16, where: str = "Druten") -> str:
        return svc.save_group(
            self.db, uid=None, name=name, location_id=self.world.locations[where],
            level_band=band, capacity=capacity, start=GROUP_START, actor=ACTOR,
        )  # fmt: skip

    def person(self, name: str, group: str, lezen: str, **levels: str) -> str:
        uid = self.world.candidate(name, "Test")
        svc.add_member(self.db, group, uid, JOINED, ACTOR)
        for skill, level in {"lezen": lezen, **levels}.items():
            self.world.assess(uid, skill, level, MEASURED)
        return uid

    def placement(self, candidate_uid: str, days: str) -> None:
        with Session(self.db.engine) as session:
            organisation = Organisation(name="Kringloop Druten")
            session.add(organisation)
            session.flush()
            person_id = (
                session.connection()
                .execute(text("SELECT id FROM candidate WHERE uid = :uid"), {"uid": candidate_uid})
                .scalar_one()
            )
            assert organisation.id is not None
            session.add(
                Placement(
                    candidate_id=person_id, organisation_id=organisation.id,
                    kind="vrijwilligerswerk", start_date=date(2026, 11, 1), days=days,
                )
            )  # fmt: skip
            session.commit()

    def propose(self, **options: int) -> regroup.RegroupProposal:
        return regroup.propose_regrouping(self.db, location="Druten", today=TODAY, **options)


@pytest.fixture
def town(tmp_path: Path) -> Iterator[Town]:
    world = World.create(tmp_path)
    yield Town(world)
    world.close()


def _moves(proposal: regroup.RegroupProposal) -> set[tuple[str, str, str]]:
    return {(m.candidate_name, m.from_group, m.to_group) for m in proposal.moves}


def _apply_all(town: Town, proposal: regroup.RegroupProposal) -> None:
    for move in proposal.moves:
        regroup.apply_move(town.db, move, on=TODAY, actor=ACTOR)


def test_two_misplaced_candidates_swap_places_with_two_moves(town: Town) -> None:
    x, y = town.group("X", capacity=4), town.group("Y", capacity=4)
    for name in ("Xa", "Xb"):
        town.person(name, x, "alfa_a")
    town.person("Xhigh", x, "a1")
    for name in ("Ya", "Yb"):
        town.person(name, y, "a1")
    town.person("Ylow", y, "alfa_a")
    proposal = town.propose()
    assert _moves(proposal) == {("Xhigh Test", "X", "Y"), ("Ylow Test", "Y", "X")}
    assert (proposal.largest_before, proposal.largest_after) == (3, 0)
    assert proposal.spread_after == {"X": {"lezen": 0}, "Y": {"lezen": 0}}
    assert proposal.solver_status == "optimal"
    move = next(m for m in proposal.moves if m.candidate_name == "Xhigh Test")
    assert move.why is regroup.MoveReason.LARGEST_SPREAD
    assert (move.from_spread_before, move.from_spread_after) == ({"lezen": 3}, {"lezen": 0})
    assert move.levels == {"lezen": "a1"}
    _apply_all(town, proposal)
    rows = {r.name: r for r in svc.group_rows(town.db, TODAY)}
    assert rows["X"].level_spread == rows["Y"].level_spread == {"lezen": 0}


def test_full_groups_swap_through_a_group_with_room(town: Town) -> None:
    x, y = town.group("X", capacity=3), town.group("Y", capacity=3)
    town.group("Z", capacity=2)
    for name in ("Xa", "Xb"):
        town.person(name, x, "alfa_a")
    town.person("Xhigh", x, "a1")
    for name in ("Ya", "Yb"):
        town.person(name, y, "a1")
    town.person("Ylow", y, "alfa_a")
    proposal = town.propose()
    assert (proposal.largest_before, proposal.largest_after) == (3, 0)
    assert len(proposal.moves) == 2  # a straight swap would overfill X or Y on the way
    assert any(m.to_group == "Z" for m in proposal.moves)
    _apply_all(town, proposal)  # in the given order, each move finds a free place
    rows = {r.name: r for r in svc.group_rows(town.db, TODAY)}
    assert all(not row.over_capacity for row in rows.values())


def test_a_swap_between_two_full_groups_is_not_proposed() -> None:
    low, high = {"lezen": 0}, {"lezen": 3}
    problem = model.Problem(
        limits=(3, 3), free=(0, 0), options=((0, 1),) * 3 + ((1, 0),) * 3,
        ranks=(low, low, high, high, high, low),
    )  # fmt: skip
    swapped = (0, 0, 1, 1, 1, 0)
    assert model.moves_in_order(problem, swapped) == ([], {0, 1})  # each waits for the other
    result = model.search(problem, 2.0)
    assert result.order == () and result.assignment == (0, 0, 0, 1, 1, 1)
    assert result.status == "optimal"
    loose = model.Problem((4, 4), (1, 1), problem.options, problem.ranks)
    result = model.search(loose, 2.0)
    assert result.assignment == swapped and len(result.order) == 2


def test_lessons_that_clash_with_a_placement_or_another_group_rule_a_group_out(
    town: Town,
) -> None:
    world = town.world
    x, y, z = town.group("X"), town.group("Y"), town.group("Z")
    world.slot(x, 1, teacher="Anna", room="Lokaal 1")  # Monday
    world.slot(y, 2, teacher="Bram", room="Lokaal 1")  # Tuesday
    world.slot(z, 3, teacher="Carla", room="Lokaal 2")  # Wednesday
    for name in ("Xa", "Xb"):  # leaving X at the end of the year: they stay
        svc.end_member(town.db, x, town.person(name, x, "alfa_a"), date(2026, 12, 31), ACTOR)
    high = town.person("Xhigh", x, "a1")
    town.person("Ya", y, "a1")
    town.person("Za", z, "a1")
    world.generate(TODAY, TODAY + timedelta(days=40))
    town.placement(high, "2,5")  # Tuesdays and Fridays at work: Y is out
    assert _moves(town.propose()) == {("Xhigh Test", "X", "Z")}

    elsewhere = town.group("W", where="Wijchen")  # another location's group counts too
    world.slot(elsewhere, 3, time(9, 30), time(11, 0), teacher=None, room="Lokaal A")
    svc.add_member(town.db, elsewhere, high, JOINED, ACTOR)
    world.generate(TODAY, TODAY + timedelta(days=40))
    proposal = town.propose()
    assert proposal.moves == ()
    assert proposal.already_minimal and proposal.largest_after == 3


def test_a_band_that_fits_worse_is_never_proposed(town: Town) -> None:
    x, y = town.group("X"), town.group("Y", band="A1")
    for name in ("Xa", "Xb"):
        town.person(name, x, "alfa_c")
    town.person("Xhigh", x, "a2")  # fits X (no band) perfectly, A1 one step off
    town.person("Ya", y, "a2")
    proposal = town.propose()
    assert proposal.moves == ()
    assert proposal.already_minimal and proposal.largest_after == 2


def test_a_band_far_off_is_never_proposed(town: Town) -> None:
    low, high = town.group("Low", band="Alfa A-Alfa B"), town.group("High", band="B1")
    for name in ("La", "Lb"):
        town.person(name, low, "alfa_a")
    town.person("Lhigh", low, "a1")  # two steps above Alfa B, two below B1
    town.person("Ha", high, "b1")
    proposal = town.propose()
    assert proposal.moves == ()
    assert proposal.already_minimal and proposal.largest_after == 3


def test_a_band_that_fits_as_well_is_used(town: Town) -> None:
    x, y = town.group("X"), town.group("Y", band="A2")
    for name in ("Xa", "Xb"):
        town.person(name, x, "alfa_c")
    town.person("Xhigh", x, "a2")
    town.person("Ya", y, "a2")
    proposal = town.propose()
    assert _moves(proposal) == {("Xhigh Test", "X", "Y")}
    (move,) = proposal.moves
    assert (move.band_steps_from, move.band_steps_to) == (0, 0)


def test_the_move_limit_is_kept(town: Town) -> None:
    x, y = town.group("X", capacity=4), town.group("Y", capacity=4)
    for name in ("Xa", "Xb"):
        town.person(name, x, "alfa_a")
    town.person("Xhigh", x, "a1")
    for name in ("Ya", "Yb"):
        town.person(name, y, "a1")
    town.person("Ylow", y, "alfa_a")
    assert town.propose(max_moves=0).moves == ()
    one = town.propose(max_moves=1)
    assert len(one.moves) == 1
    assert one.largest_after == 3  # one move cannot narrow both groups


def test_a_location_without_levels_has_nothing_to_do(town: Town) -> None:
    group = town.group("X")
    svc.add_member(town.db, group, town.world.candidate("Geen", "Toets"), JOINED, ACTOR)
    proposal = town.propose()
    assert proposal.moves == () and proposal.largest_before == proposal.largest_after == 0
    assert proposal.spread_before == {"X": {}} and proposal.members == 1


def test_the_band_reading() -> None:
    assert regroup.band_range("A1-A2") == (3, 4)
    assert regroup.band_range("Alfa A-Alfa C") == (0, 2)
    assert regroup.band_range("alfa") == (0, 2)
    assert regroup.band_range("B1") == (5, 5)
    assert regroup.band_range("A2 – B1") == (4, 5)
    assert regroup.band_range("") is None
    assert regroup.band_range("gemengd") is None
    assert regroup.fits_band({"lezen": 4}, (0, 2), tolerance=2)
    assert not regroup.fits_band({"lezen": 4}, (0, 2))
    assert regroup.band_misfit({"lezen": 4, "spreken": 1}, (2, 3)) == 2


# -- apply time, bad input, the command ------------------------------------------------------


def test_a_move_that_no_longer_holds_is_refused(town: Town) -> None:
    x, y = town.group("X", capacity=4), town.group("Y", capacity=2)
    town.world.slot(y, 2, teacher="Bram", room="Lokaal 1")
    town.world.generate(TODAY, TODAY + timedelta(days=40))
    for name in ("Xa", "Xb"):
        town.person(name, x, "alfa_a")
    town.person("Xhigh", x, "a1")
    town.person("Ya", y, "a1")
    (move,) = town.propose().moves
    assert move.to_group == "Y"

    town.placement(move.candidate_uid, "2")
    with pytest.raises(UserError, match="falls on a day of their placement"):
        regroup.apply_move(town.db, move, on=TODAY, actor=ACTOR)

    svc.add_member(town.db, y, town.world.candidate("Laat", "Test"), JOINED, ACTOR)
    with pytest.raises(UserError, match=r"Y is full on 2026-11-28 \(2 of 2 places\)"):
        regroup.apply_move(town.db, move, on=TODAY, actor=ACTOR)
    names = [m.name for m in svc.group_members(town.db, x, TODAY)]
    assert "Xhigh Test" in names  # nothing was moved


def test_an_unknown_location_is_named_with_the_known_ones(town: Town) -> None:
    with pytest.raises(UserError) as caught:
        regroup.propose_regrouping(town.db, location="Nijmegen", today=TODAY)
    assert caught.value.message_id == "No location is called {name}. The locations are: {names}."
    assert caught.value.params == {"name": "Nijmegen", "names": "Druten, Wijchen"}


def test_the_regroup_command(pilot_file: Path, tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "pilot.sqlite"
    shutil.copy(pilot_file, db)
    data = json_result(run_cli(app_paths, db, "--json", "regroup", "--location", "Wijchen"))
    assert data["location"] == "Wijchen" and data["largest_after"] <= data["largest_before"]
    assert data["moves"] and data["moves"][0]["number"] == 1
    assert set(data["spread_before"]) == set(data["spread_after"])
    code, out, _err = run_cli(app_paths, db, "regroup", "--location", "wijchen")
    assert code == 0 and "Largest spread of levels" in out and "1. " in out

    first = data["moves"][0]
    applied = json_result(
        run_cli(app_paths, db, "--json", "regroup", "--location", "Wijchen", "--apply", "1")
    )
    assert applied["applied"]["candidate"] == first["candidate"]
    assert applied["on"] == "2026-11-28"

    code, _out, err = run_cli(app_paths, db, "regroup", "--location", "Wijchen", "--apply", "99")
    assert code == 1 and "There is no move 99" in err
    code, _out, err = run_cli(app_paths, db, "regroup", "--location", "Atlantis")
    assert code == 1 and "No location is called Atlantis" in err
