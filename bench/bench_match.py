"""Matching on the large dataset: ranking for one candidate and one opportunity, and the
optimal proposal (target: under 5 s).

The large demo holds at least 5,000 candidates (most with a work profile) and 2,000
opportunities at 400 organisations. Ranking runs every rule for one candidate against
every opportunity (and the other way round); the proposal runs the rules on every pair,
keeps the feasible ones and solves the assignment LP with HiGHS. The proposal is timed
as a whole and in its two parts (rules, solver), and checked: no opportunity over its
free places, no candidate twice.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import text

T = TypeVar("T")
LIMIT_SECONDS = 5.0
MIN_CANDIDATES, MIN_OPPORTUNITIES = 5_000, 2_000


def _timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, round(time.perf_counter() - started, 3)


def run() -> dict[str, object]:
    """Time ranking and the proposal on the large dataset; report sizes and checks."""
    from bench.datasets import TODAY, demo_database
    from kvds_desktop.services.work import matching, proposal
    from kvds_desktop.store.database import Database

    db = Database.open(demo_database("large"))
    try:
        with db.engine.connect() as conn:
            count = {
                table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in ("candidate", "work_profile", "opportunity", "organisation")
            }
            candidate = conn.execute(
                text("SELECT c.uid FROM candidate c JOIN work_profile w ON w.candidate_id = c.id "
                     "WHERE c.status = 'actief' ORDER BY c.id LIMIT 1")
            ).scalar_one()  # fmt: skip
            opportunity = conn.execute(
                text("SELECT uid FROM opportunity WHERE active ORDER BY id LIMIT 1")
            ).scalar_one()
        by_candidate, rank_candidate_s = _timed(
            lambda: matching.rank_for_candidate(db, candidate, today=TODAY)
        )
        by_opportunity, rank_opportunity_s = _timed(
            lambda: matching.rank_for_opportunity(db, opportunity, today=TODAY)
        )
        result, propose_s = _timed(lambda: proposal.propose_matches(db, today=TODAY))
        pairs, rules_s = _timed(lambda: matching.feasible_pairs(db, today=TODAY))
        free = matching.free_places(db, TODAY)
        chosen, solve_s = _timed(lambda: proposal.solve_assignment(pairs, free))
    finally:
        db.close()
    matches = result.pairs
    per_place = Counter(p.opportunity_uid for p in matches)
    within_places = all(n <= free.get(uid, 0) for uid, n in per_place.items())
    once = len({p.candidate_uid for p in matches}) == len(matches)
    return {
        "name": "match_large",
        "candidates": count["candidate"],
        "work_profiles": count["work_profile"],
        "opportunities": count["opportunity"],
        "organisations": count["organisation"],
        "rank_candidate_s": rank_candidate_s,
        "rank_candidate_pairs": len(by_candidate),
        "rank_opportunity_s": rank_opportunity_s,
        "rank_opportunity_pairs": len(by_opportunity),
        "feasible_pairs": len(pairs),
        "propose_s": propose_s,
        "rules_s": rules_s,
        "solver_s": solve_s,
        "matches": len(matches),
        "total_score": round(result.total_score, 1),
        "candidates_considered": result.candidates_considered,
        "opportunities_considered": result.opportunities_considered,
        "same_as_solver": len(chosen) == len(matches),
        "within_places": within_places and once,
        "within_limit": propose_s < LIMIT_SECONDS
        and count["candidate"] >= MIN_CANDIDATES
        and count["opportunity"] >= MIN_OPPORTUNITIES,
    }


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(json.dumps(run(), indent=2))
