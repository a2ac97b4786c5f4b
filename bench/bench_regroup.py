"""Regrouping the largest location of the large dataset: model size and solver time.

The large demo has no placements (and older ones no assessments), so on a copy of it the current
members of the location with the most members get levels first: per member a base step
inside their group's level band (a quarter of them one step outside it), each skill
the base or a step next to it; and a fifth of them a placement on two weekdays. Then
the proposal is timed with the default time limit (5 s), and its moves are checked
against capacity.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

SKILLS = ("lezen", "luisteren", "spreken", "schrijven")
LADDER = ("alfa_a", "alfa_b", "alfa_c", "a1", "a2", "b1", "b2", "c1")


def _largest_location(conn: Connection, today: date) -> str:
    return str(
        conn.execute(
            text(
                "SELECT l.name FROM group_membership m JOIN study_group g ON g.id = m.group_id "
                "JOIN location l ON l.id = g.location_id WHERE m.start_date <= :d AND "
                "(m.end_date IS NULL OR m.end_date >= :d) GROUP BY l.id "
                "ORDER BY count(*) DESC, l.name LIMIT 1"
            ),
            {"d": today.isoformat()},
        ).scalar_one()
    )


def _add_levels(conn: Connection, location: str, today: date, seed: int = 7) -> int:
    """Levels (and some placements) for the location's current members; returns members."""
    from kvds_desktop.services.regroup import band_range
    from kvds_desktop.store.models import new_uid

    rng = random.Random(seed)
    rows = conn.execute(
        text(
            "SELECT m.candidate_id, g.level_band FROM group_membership m "
            "JOIN study_group g ON g.id = m.group_id JOIN location l ON l.id = g.location_id "
            "WHERE l.name = :loc AND m.start_date <= :d AND "
            "(m.end_date IS NULL OR m.end_date >= :d) ORDER BY m.candidate_id"
        ),
        {"loc": location, "d": today.isoformat()},
    ).all()
    organisation = conn.execute(text("SELECT min(id) FROM organisation")).scalar()
    has_levels = bool(conn.execute(text("SELECT count(*) FROM assessment")).scalar())
    assessments: list[dict[str, Any]] = []
    placements: list[dict[str, Any]] = []
    for candidate_id, band in rows:
        low, high = band_range(band) or (3, 4)
        base = rng.randint(low, high)
        if rng.random() < 0.25:
            base = min(7, max(0, base + rng.choice((-1, 1))))
        for skill in () if has_levels else SKILLS:  # newer demo data has its own levels
            step = min(7, max(0, base + rng.choice((-1, 0, 0, 1))))
            assessments.append(
                {"uid": new_uid(), "candidate_id": candidate_id, "skill": skill,
                 "level": LADDER[step], "assessed_on": date(2026, 10, 1), "method": "observatie",
                 "assessor": "", "note": ""}
            )  # fmt: skip
        if organisation is not None and rng.random() < 0.2:
            days = ",".join(str(d) for d in sorted(rng.sample(range(1, 6), 2)))
            placements.append(
                {"uid": new_uid(), "candidate_id": candidate_id, "organisation_id": organisation,
                 "kind": "vrijwilligerswerk", "start_date": date(2026, 9, 1), "days": days,
                 "wage_subsidy": False, "note": ""}
            )  # fmt: skip
    if assessments:
        conn.execute(
            text(
                "INSERT INTO assessment (uid, candidate_id, skill, level, assessed_on, method, "
                "assessor, note) VALUES (:uid, :candidate_id, :skill, :level, :assessed_on, "
                ":method, :assessor, :note)"
            ),
            assessments,
        )
    if placements:
        conn.execute(
            text(
                "INSERT INTO placement (uid, candidate_id, organisation_id, kind, start_date, "
                "days, wage_subsidy, note) VALUES (:uid, :candidate_id, :organisation_id, "
                ":kind, :start_date, :days, :wage_subsidy, :note)"
            ),
            placements,
        )
    return len(rows)


def run() -> dict[str, object]:
    """Time the regrouping proposal for the largest location of the large dataset."""
    from bench.datasets import TODAY, demo_database
    from kvds_desktop.services.regroup import propose_regrouping
    from kvds_desktop.store.database import Database

    folder = Path(tempfile.mkdtemp(prefix="kvds-bench-regroup-"))
    try:
        path = folder / "large.sqlite"
        shutil.copy(demo_database("large"), path)
        db = Database.open(path)
        try:
            with db.session() as session:
                conn = session.connection()
                location = _largest_location(conn, TODAY)
                members = _add_levels(conn, location, TODAY)
            started = time.perf_counter()
            proposal = propose_regrouping(db, location=location, today=TODAY)
            total_s = time.perf_counter() - started
            capped = propose_regrouping(db, location=location, today=TODAY, max_moves=10)
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "name": "regroup_large",
        "location": location,
        "members": members,
        "movable": proposal.movable,
        "variables": proposal.variables,
        "constraints": proposal.constraints,
        "solver_status": proposal.solver_status,
        "solver_s": proposal.seconds,
        "propose_total_s": round(total_s, 3),
        "largest_spread": [proposal.largest_before, proposal.largest_after],
        "sum_of_spreads": [
            sum(sum(s.values()) for s in proposal.spread_before.values()),
            sum(sum(s.values()) for s in proposal.spread_after.values()),
        ],
        "moves": len(proposal.moves),
        "max_10_moves": {
            "moves": len(capped.moves),
            "largest_spread": [capped.largest_before, capped.largest_after],
            "solver_status": capped.solver_status,
            "solver_s": capped.seconds,
        },
    }


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(json.dumps(run(), indent=2))
