"""The optimal proposal, the coordinator's decisions and ``kvds match``.

The solver is checked against a brute-force search on small random cases: it never
exceeds an opportunity's places or gives a candidate two opportunities, uses only
feasible pairs, and reaches the best total score. Decisions and the command run on a
copy of the pilot data.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from kvds_desktop.errors import UserError
from kvds_desktop.paths import AppPaths
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.work import matching
from kvds_desktop.services.work.pairs import PairCheck, RuleResult
from kvds_desktop.services.work.proposal import decide_match, propose_matches, solve_assignment
from kvds_desktop.store.database import Database
from tests.cli_support import json_result as data
from tests.cli_support import run_cli as run

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
ACTOR = Actor("coordinator", "laptop")


def _pair(candidate: int, opportunity: int, score: float, feasible: bool = True) -> PairCheck:
    result = RuleResult("days", feasible, "free on {days}", {"days": (2,)})
    return PairCheck(
        f"c{candidate}", f"Candidate {candidate}", f"o{opportunity}", f"Opportunity {opportunity}",
        "Organisation", (result,), score if feasible else 0.0,
    )  # fmt: skip


def _best_total(pairs: list[PairCheck], capacities: dict[str, int]) -> float:
    """The largest total score by trying every assignment (depth first, with capacities)."""
    options: dict[str, list[PairCheck]] = {}
    for p in pairs:
        if p.feasible:
            options.setdefault(p.candidate_uid, []).append(p)
    people = sorted(options)
    left = dict(capacities)

    def search(index: int) -> float:
        if index == len(people):
            return 0.0
        best = search(index + 1)  # this candidate gets nothing
        for p in options[people[index]]:
            if left.get(p.opportunity_uid, 0) > 0:
                left[p.opportunity_uid] -= 1
                best = max(best, p.score + search(index + 1))
                left[p.opportunity_uid] += 1
        return best

    return search(0)


def _random_case(rng: random.Random) -> tuple[list[PairCheck], dict[str, int]]:
    candidates, opportunities = rng.randint(0, 6), rng.randint(0, 4)
    pairs = [
        _pair(c, o, rng.choice((rng.uniform(0, 100), float(rng.randint(0, 5) * 10))),
              rng.random() < 0.7)
        for c in range(candidates)
        for o in range(opportunities)
        if rng.random() < 0.8
    ]  # fmt: skip
    return pairs, {f"o{o}": rng.randint(0, 2) for o in range(opportunities)}


def _check(chosen: list[PairCheck], capacities: dict[str, int]) -> None:
    assert all(p.feasible for p in chosen)
    people = [p.candidate_uid for p in chosen]
    assert len(people) == len(set(people)), "a candidate got two opportunities"
    for uid, places in capacities.items():
        assert sum(p.opportunity_uid == uid for p in chosen) <= places


def test_the_proposal_is_optimal_and_within_places_on_random_cases() -> None:
    rng = random.Random(2019)
    for _ in range(400):
        pairs, capacities = _random_case(rng)
        chosen = solve_assignment(pairs, capacities)
        _check(chosen, capacities)
        assert sum(p.score for p in chosen) == pytest.approx(_best_total(pairs, capacities))


def test_the_result_does_not_depend_on_the_order_of_the_pairs() -> None:
    rng = random.Random(7)
    for _ in range(50):
        pairs, capacities = _random_case(rng)
        first = solve_assignment(pairs, capacities)
        shuffled = list(pairs)
        rng.shuffle(shuffled)
        assert solve_assignment(shuffled, capacities) == first


def test_ties_are_broken_the_same_way_every_time() -> None:
    pairs = [_pair(c, o, 50.0) for c in range(4) for o in range(3)]
    capacities = {"o0": 1, "o1": 1, "o2": 1}
    first = solve_assignment(pairs, capacities)
    assert len(first) == 3 and sum(p.score for p in first) == 150.0
    assert all(solve_assignment(list(reversed(pairs)), capacities) == first for _ in range(3))


def test_best_first_and_capacity_two_takes_two_candidates() -> None:
    pairs = [_pair(1, 1, 40.0), _pair(2, 1, 90.0), _pair(3, 1, 10.0), _pair(3, 2, 5.0)]
    chosen = solve_assignment(pairs, {"o1": 2, "o2": 1})
    assert [(p.candidate_uid, p.opportunity_uid) for p in chosen] == [
        ("c2", "o1"), ("c1", "o1"), ("c3", "o2"),
    ]  # fmt: skip


def test_infeasible_pairs_no_places_and_repeated_pairs() -> None:
    assert solve_assignment([], {}) == []
    assert solve_assignment([_pair(1, 1, 80.0, feasible=False)], {"o1": 1}) == []
    assert solve_assignment([_pair(1, 1, 80.0)], {"o1": 0}) == []
    assert solve_assignment([_pair(1, 1, 80.0)], {}) == []  # no free places known: none
    chosen = solve_assignment([_pair(1, 1, 20.0), _pair(1, 1, 70.0)], {"o1": 1})
    assert [p.score for p in chosen] == [70.0]


def test_a_sacrifice_beats_the_greedy_choice() -> None:
    # Greedy gives c1 the best pair (o1, 60) and leaves c2 without; the optimum swaps.
    pairs = [_pair(1, 1, 60.0), _pair(1, 2, 50.0), _pair(2, 1, 55.0)]
    chosen = solve_assignment(pairs, {"o1": 1, "o2": 1})
    assert {(p.candidate_uid, p.opportunity_uid) for p in chosen} == {("c1", "o2"), ("c2", "o1")}


# --- on the pilot data -----------------------------------------------------------------


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


def _count(db: Database, sql: str, **params: object) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def _unique_title(path: Path, pairs: list[dict[str, object]]) -> dict[str, object]:
    """The first proposed pair whose opportunity title no other opportunity has."""
    database = Database.open(path)
    try:
        with database.engine.connect() as conn:
            shared = set(
                conn.execute(
                    text("SELECT lower(title) FROM opportunity GROUP BY lower(title) "
                         "HAVING count(*) > 1")
                ).scalars()
            )  # fmt: skip
    finally:
        database.close()
    return next(p for p in pairs if str(p["title"]).lower() not in shared)


def test_the_pilot_proposal_respects_free_places(db: Database, reference_date: date) -> None:
    result = propose_matches(db, today=reference_date)
    assert result.pairs, "the pilot has possible matches"
    free = matching.free_places(db, reference_date)
    _check(list(result.pairs), free)
    assert result.total_score == pytest.approx(sum(p.score for p in result.pairs))
    feasible = matching.feasible_pairs(db, today=reference_date)
    assert result.candidates_considered == len({p.candidate_uid for p in feasible})
    assert sum(p.score for p in result.pairs) == pytest.approx(_best_total(feasible, free))
    assert [p.score for p in result.pairs] == sorted((p.score for p in result.pairs), reverse=True)


def test_rejecting_needs_a_reason_and_is_not_proposed_again(
    db: Database, reference_date: date
) -> None:
    first = propose_matches(db, today=reference_date).pairs[0]
    pair = {"candidate_uid": first.candidate_uid, "opportunity_uid": first.opportunity_uid}
    for reason in ("", "   "):
        with pytest.raises(UserError, match="reason"):
            decide_match(db, **pair, accept=False, reason=reason, actor=ACTOR,
                         today=reference_date, now=NOW)  # fmt: skip
    assert _count(db, "SELECT count(*) FROM match_decision") == 0
    decide_match(db, **pair, accept=False, reason="  wil geen  buitenwerk ", actor=ACTOR,
                 today=reference_date, now=NOW)  # fmt: skip
    stored = _count(
        db, "SELECT count(*) FROM match_decision WHERE decision = 'rejected' AND "
        "reason = 'wil geen buitenwerk' AND decided_by = 'coordinator'",
    )  # fmt: skip
    assert stored == 1
    assert _count(db, "SELECT count(*) FROM audit_entry WHERE action = 'match.reject'") == 1
    again = propose_matches(db, today=reference_date)
    assert (first.candidate_uid, first.opportunity_uid) not in {
        (p.candidate_uid, p.opportunity_uid) for p in again.pairs
    }
    assert _count(db, "SELECT count(*) FROM placement WHERE stage = 'voorgesteld'") == 0


def test_accepting_creates_a_proposed_placement(db: Database, reference_date: date) -> None:
    first = propose_matches(db, today=reference_date).pairs[0]
    before = _count(db, "SELECT count(*) FROM placement")
    decide_match(
        db, candidate_uid=first.candidate_uid, opportunity_uid=first.opportunity_uid,
        accept=True, reason="", actor=ACTOR, today=reference_date, now=NOW,
    )  # fmt: skip
    assert _count(db, "SELECT count(*) FROM placement") == before + 1
    with db.engine.connect() as conn:
        placement = conn.execute(
            text(
                "SELECT p.id, p.stage, p.start_date, p.days, o.days AS opportunity_days, p.kind, "
                "o.kind AS opportunity_kind, p.organisation_id, o.organisation_id AS org "
                "FROM placement p JOIN opportunity o ON o.id = p.opportunity_id "
                "JOIN candidate c ON c.id = p.candidate_id WHERE c.uid = :c AND o.uid = :o"
            ),
            {"c": first.candidate_uid, "o": first.opportunity_uid},
        ).one()
        steps = conn.execute(
            text(
                "SELECT stage, step_date, recorded_by FROM placement_step WHERE placement_id = :p"
            ),
            {"p": placement.id},
        ).all()
    assert placement.stage == "voorgesteld"
    assert str(placement.start_date) == reference_date.isoformat()  # a date on PostgreSQL
    assert (placement.days, placement.kind) == (
        placement.opportunity_days,
        placement.opportunity_kind,
    )
    assert placement.organisation_id == placement.org
    assert [(s.stage, str(s.step_date), s.recorded_by) for s in steps] == [
        ("voorgesteld", reference_date.isoformat(), "coordinator")
    ]
    with db.engine.connect() as conn:
        actions = set(conn.execute(text("SELECT action FROM audit_entry")).scalars())
    assert {"match.accept", "placement.create", "placement.step"} <= actions
    assert _count(db, "SELECT count(*) FROM match_decision WHERE decision = 'accepted'") == 1
    later = propose_matches(db, today=reference_date)
    assert first.candidate_uid not in {p.candidate_uid for p in later.pairs}
    with pytest.raises(UserError, match="already has a placement"):
        decide_match(
            db, candidate_uid=first.candidate_uid, opportunity_uid=first.opportunity_uid,
            accept=True, reason="", actor=ACTOR, today=reference_date, now=NOW,
        )  # fmt: skip


def test_accepting_for_a_full_or_closed_opportunity_is_refused(
    db: Database, reference_date: date
) -> None:
    first = propose_matches(db, today=reference_date).pairs[0]
    pair = {"candidate_uid": first.candidate_uid, "opportunity_uid": first.opportunity_uid}
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE opportunity SET places = 0 WHERE uid = :o"),
                     {"o": first.opportunity_uid})  # fmt: skip
    with pytest.raises(UserError, match="no free place"):
        decide_match(db, **pair, accept=True, actor=ACTOR, today=reference_date, now=NOW)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE opportunity SET places = 3, active = false WHERE uid = :o"),
                     {"o": first.opportunity_uid})  # fmt: skip
    with pytest.raises(UserError, match="no longer open"):
        decide_match(db, **pair, accept=True, actor=ACTOR, today=reference_date, now=NOW)
    with pytest.raises(UserError, match="no longer exists"):
        decide_match(db, candidate_uid="nobody", opportunity_uid=first.opportunity_uid,
                     accept=False, reason="x", actor=ACTOR, today=reference_date,
                     now=NOW)  # fmt: skip
    assert _count(db, "SELECT count(*) FROM match_decision") == 0


# --- kvds match --------------------------------------------------------------------------


def test_match_propose_accept_and_reject_on_the_command_line(
    app_paths: AppPaths, copy: Path
) -> None:
    proposed = data(run(app_paths, copy, "--json", "match", "--propose"))
    assert proposed["pairs"] and proposed["total_score"] > 0
    assert all(p["feasible"] and p["reasons"] for p in proposed["pairs"])
    second = _unique_title(copy, proposed["pairs"])
    first = next(p for p in proposed["pairs"] if p is not second)
    code, _out, err = run(app_paths, copy, "match", "--reject", first["candidate"],
                          first["opportunity"])  # fmt: skip
    assert code == 1 and "reason" in err
    rejected = data(run(app_paths, copy, "--json", "match", "--reject", first["candidate"],
                        first["opportunity"], "--reason", "te ver weg"))  # fmt: skip
    assert (rejected["decision"], rejected["reason"]) == ("rejected", "te ver weg")
    accepted = data(run(app_paths, copy, "--json", "match", "--accept", second["candidate"],
                        second["title"]))  # fmt: skip
    assert (accepted["decision"], accepted["placement_stage"]) == ("accepted", "voorgesteld")
    assert accepted["opportunity"] == second["opportunity"]
    again = data(run(app_paths, copy, "--json", "match", "--propose"))
    left = {(p["candidate"], p["opportunity"]) for p in again["pairs"]}
    assert (first["candidate"], first["opportunity"]) not in left
    assert second["candidate"] not in {p["candidate"] for p in again["pairs"]}
    code, out, _err = run(app_paths, copy, "match", "--propose")
    assert code == 0 and out.startswith("Proposal on 28 November 2026:")


def test_match_ranks_for_a_candidate_and_an_opportunity(app_paths: AppPaths, copy: Path) -> None:
    best = _unique_title(copy, data(run(app_paths, copy, "--json", "match", "--propose"))["pairs"])
    ranked = data(run(app_paths, copy, "--json", "match", "--candidate", best["candidate"],
                      "--limit", "3"))["pairs"]  # fmt: skip
    assert len(ranked) == 3 and ranked[0]["feasible"]
    assert {r["rule"] for r in ranked[0]["reasons"]} >= {"days", "travel"}
    feasible = [p["feasible"] for p in ranked]
    assert feasible == sorted(feasible, reverse=True)  # the fits first
    every = data(run(app_paths, copy, "--json", "match", "--candidate", best["candidate"]))
    assert best["opportunity"] in {p["opportunity"] for p in every["pairs"] if p["feasible"]}
    code, out, _err = run(
        app_paths, copy, "match", "--candidate", best["candidate"], "--limit", "2"
    )
    assert code == 0 and out.startswith(f"Opportunities for {best['candidate_name']} on")
    assert ranked[0]["title"] in out
    by_title = data(run(app_paths, copy, "--json", "match", "--opportunity", best["title"]))
    assert best["candidate"] in {p["candidate"] for p in by_title["pairs"] if p["feasible"]}
    code, _out, err = run(app_paths, copy, "match", "--opportunity", "Zzz no such title")
    assert code == 1 and "No opportunity" in err
    overall = data(run(app_paths, copy, "--json", "match", "--limit", "2"))["pairs"]
    assert len(overall) <= 2 and all(p["feasible"] for p in overall)
    code, out, _err = run(app_paths, copy, "--lang", "nl", "match", "--propose")
    assert code == 0 and "november" in out
