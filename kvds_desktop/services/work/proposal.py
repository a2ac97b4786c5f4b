"""The optimal proposal: which candidate goes to which opportunity, and the coordinator's word.

:func:`solve_assignment` picks from the feasible pairs (:class:`~.pairs.PairCheck`) the
set with the largest total score in which every candidate has at most one opportunity
and every opportunity at most its free places. It is a linear program solved with
HiGHS: a variable ``0 <= x <= 1`` per pair, maximise ``sum(score * x)`` subject to
``sum(x) <= 1`` per candidate and ``sum(x) <= places`` per opportunity. Every column
has a 1 in one candidate row and one opportunity row: the incidence matrix of a
bipartite graph, which is totally unimodular, so with whole-number right-hand sides
every vertex of the polytope is whole and the simplex method ends on one. The values
are checked to be 0 or 1 (and the model solved as an integer program should they
ever not be). Ties (several sets with the same total) are broken the same way every
time: the pairs go to the solver in a fixed order (candidate uid, opportunity uid)
with a fixed seed, whatever order they came in.

:func:`propose_matches` runs the rules on the database and solves; pairs the
coordinator rejected before, and candidates with a match in progress, are left out.
:func:`decide_match` records the coordinator's decision: accepting creates a placement
in stage "voorgesteld"; rejecting (overriding the proposal) needs a reason.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from highspy import HighsLp, HighsModelStatus, HighsVarType, MatrixFormat, ObjSense
from highspy._core import _Highs
from sqlalchemy import Connection, Row, Table, and_, func, or_, select
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table on the metadata
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.services.work import matching
from kvds_desktop.services.work.pairs import PairCheck, ScoreWeights
from kvds_desktop.services.work.placements import ENDED
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

TABLES = SQLModel.metadata.tables
CANDIDATE: Table = TABLES["candidate"]
OPPORTUNITY: Table = TABLES["opportunity"]
DECISION: Table = TABLES["match_decision"]
PLACEMENT: Table = TABLES["placement"]
STEP: Table = TABLES["placement_step"]

ACCEPTED, REJECTED = "accepted", "rejected"
PROPOSED_STAGE = "voorgesteld"
# A placement in one of these stages is a match still being worked out: its candidate
# is not proposed elsewhere meanwhile.
IN_PROGRESS = ("voorgesteld", "kennismaking")
WHOLE = 1e-6  # how far from 0 or 1 a solver value may be and still count as whole
MAX_REASON = 200


@dataclass(frozen=True)
class MatchProposal:
    """The best set of pairs found, with its total score and what was weighed."""

    pairs: tuple[PairCheck, ...]  # best score first
    total_score: float
    candidates_considered: int  # candidates with at least one usable pair
    opportunities_considered: int  # opportunities with a free place and a usable pair
    seconds: float


@dataclass(frozen=True)
class _Usable:
    """The usable pairs in a fixed order, as solver indices: candidate, opportunity, score."""

    pairs: list[PairCheck]
    person: np.ndarray  # per pair: the index of its candidate (in uid order)
    place: np.ndarray  # per pair: the index of its opportunity (in uid order)
    score: np.ndarray
    limit: np.ndarray  # per opportunity index: its free places
    people: int  # candidates with a usable pair


def _usable(
    pairs: Sequence[PairCheck], capacities: Mapping[str, int], *, checked: bool = False
) -> _Usable:
    """Feasible pairs with a free place, one per (candidate, opportunity) (the higher
    score), ordered by candidate uid and opportunity uid. ``checked``: the pairs are
    known to be feasible (from :func:`.matching.feasible_pairs`)."""
    kept = [
        p for p in pairs if capacities.get(p.opportunity_uid, 0) > 0 and (checked or p.feasible)
    ]
    people = {uid: i for i, uid in enumerate(sorted({p.candidate_uid for p in kept}))}
    places = sorted({p.opportunity_uid for p in kept})
    place_index = {uid: i for i, uid in enumerate(places)}
    n = len(kept)
    person = np.fromiter((people[p.candidate_uid] for p in kept), np.int64, n)
    place = np.fromiter((place_index[p.opportunity_uid] for p in kept), np.int64, n)
    score = np.fromiter((p.score for p in kept), np.float64, n)
    order = np.lexsort((-score, place, person))  # the best of a repeated pair first
    person, place, score = person[order], place[order], score[order]
    first = np.ones(n, dtype=bool)
    first[1:] = (person[1:] != person[:-1]) | (place[1:] != place[:-1])
    chosen = order[first]
    return _Usable(
        pairs=[kept[i] for i in chosen],
        person=person[first],
        place=place[first],
        score=score[first],
        limit=np.fromiter((capacities[uid] for uid in places), np.float64, len(places)),
        people=len(people),
    )


def _model(u: _Usable) -> HighsLp:
    """The LP in column form; rows only where a limit can bind (more pairs than places)."""
    n = len(u.pairs)
    people, places = u.people, len(u.limit)
    person_rows = np.full(people, -1)
    binding = np.bincount(u.person, minlength=people) > 1
    first = int(binding.sum())
    person_rows[binding] = np.arange(first)
    place_rows = np.full(places, -1)
    binding_places = np.bincount(u.place, minlength=places) > u.limit
    place_rows[binding_places] = np.arange(first, first + int(binding_places.sum()))
    column = np.arange(n)
    rows = np.concatenate((person_rows[u.person], place_rows[u.place]))
    columns = np.concatenate((column, column))
    kept = rows >= 0
    rows, columns = rows[kept], columns[kept]
    order = np.lexsort((rows, columns))
    rows, columns = rows[order], columns[order]
    lp = HighsLp()
    lp.num_col_ = n
    lp.num_row_ = first + int(binding_places.sum())
    lp.sense_ = ObjSense.kMaximize
    lp.col_cost_ = u.score
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.full(lp.num_row_, -np.inf)
    lp.row_upper_ = np.concatenate((np.ones(first), u.limit[binding_places]))
    matrix = lp.a_matrix_
    matrix.format_ = MatrixFormat.kColwise
    matrix.num_col_, matrix.num_row_ = lp.num_col_, lp.num_row_
    matrix.start_ = np.searchsorted(columns, np.arange(n + 1)).astype(np.int32)
    matrix.index_ = rows.astype(np.int32)
    matrix.value_ = np.ones(len(rows))
    return lp


def _run(lp: HighsLp, integer: bool) -> np.ndarray:
    """The solver's values of the columns of ``lp`` (as an integer program if asked)."""
    if integer:
        lp.integrality_ = [HighsVarType.kInteger] * lp.num_col_
    # highspy.Highs() prints HiGHS's banner on stdout while it is made (that would spoil
    # `kvds --json`); its core class is silent.
    highs = _Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 2019)
    # No "threads" option: HiGHS keeps one thread pool per process, and asking another
    # size after the regrouping solver made it makes every later run fail.
    if not integer:
        highs.setOptionValue("solver", "simplex")  # ends on a vertex, which is whole here
        # Measured on 145,000 pairs: each halves the time (every coefficient is 1 here).
        highs.setOptionValue("presolve", "off")
        highs.setOptionValue("simplex_scale_strategy", 0)
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    if status != HighsModelStatus.kOptimal:  # bounded, and taking nothing is feasible
        raise RuntimeError(
            f"HiGHS did not solve the assignment: {highs.modelStatusToString(status)}"
        )
    return np.asarray(highs.getSolution().col_value, dtype=np.float64)


def solve_assignment(pairs: Sequence[PairCheck], capacities: Mapping[str, int]) -> list[PairCheck]:
    """The set of feasible pairs with the largest total score, best score first.

    Each candidate gets at most one opportunity and each opportunity at most
    ``capacities[uid]`` candidates (its free places; a missing uid has none).
    Infeasible pairs are ignored; of a pair given twice the higher score counts. The
    result does not depend on the order of ``pairs``.
    """
    return _solve(_usable(pairs, capacities))


def _solve(usable: _Usable) -> list[PairCheck]:
    """The best pairs of ``usable``, best score first."""
    if not usable.pairs:
        return []
    values = _run(_model(usable), integer=False)
    if np.any(np.minimum(np.abs(values), np.abs(values - 1.0)) > WHOLE):
        values = _run(_model(usable), integer=True)  # not expected (see above); be safe
    chosen = [usable.pairs[i] for i in np.flatnonzero(values > 0.5)]
    return sorted(
        chosen, key=lambda p: (-p.score, p.candidate_name, p.candidate_uid, p.opportunity_uid)
    )


def _decided_pairs(conn: Connection) -> set[tuple[str, str]]:
    """(candidate uid, opportunity uid) of every pair the coordinator decided on."""
    query = (
        select(CANDIDATE.c.uid, OPPORTUNITY.c.uid)
        .select_from(DECISION)
        .join(CANDIDATE, CANDIDATE.c.id == DECISION.c.candidate_id)
        .join(OPPORTUNITY, OPPORTUNITY.c.id == DECISION.c.opportunity_id)
    )
    return {(str(c), str(o)) for c, o in conn.execute(query)}


def _open(today: date) -> Any:
    """SQL: a placement that has not ended on ``today``."""
    return and_(
        PLACEMENT.c.stage != ENDED,
        or_(PLACEMENT.c.end_date.is_(None), PLACEMENT.c.end_date >= today),
    )


def _placed(conn: Connection, today: date) -> tuple[set[str], set[tuple[str, str]]]:
    """Candidates with a match being worked out (proposed, introduced), and the
    (candidate, opportunity) pairs of every running placement."""
    query = (
        select(CANDIDATE.c.uid, OPPORTUNITY.c.uid, PLACEMENT.c.stage)
        .select_from(PLACEMENT)
        .join(CANDIDATE, CANDIDATE.c.id == PLACEMENT.c.candidate_id)
        .outerjoin(OPPORTUNITY, OPPORTUNITY.c.id == PLACEMENT.c.opportunity_id)
        .where(_open(today))
    )
    busy: set[str] = set()
    held: set[tuple[str, str]] = set()
    for candidate, opportunity, stage in conn.execute(query):
        if stage in IN_PROGRESS:
            busy.add(str(candidate))
        if opportunity is not None:
            held.add((str(candidate), str(opportunity)))
    return busy, held


def propose_matches(
    db: Database, *, today: date, weights: ScoreWeights | None = None
) -> MatchProposal:
    """The optimal set of matches between candidates and opportunities on ``today``.

    The feasible pairs come from the rules (:func:`.matching.feasible_pairs`), the free
    places from :func:`.matching.free_places`. Left out: pairs the coordinator rejected
    (or accepted) before, pairs the candidate is placed on already, and candidates
    whose match is still being worked out (a placement proposed or at introduction).
    """
    started = time.perf_counter()
    pairs = matching.feasible_pairs(db, today=today, weights=weights or ScoreWeights())
    places = matching.free_places(db, today)
    with db.engine.connect() as conn:
        decided = _decided_pairs(conn)
        busy, held = _placed(conn, today)
    left_out = decided | held
    usable = [
        p
        for p in pairs
        if p.candidate_uid not in busy and (p.candidate_uid, p.opportunity_uid) not in left_out
    ]
    kept = _usable(usable, places, checked=True)
    chosen = _solve(kept)
    return MatchProposal(
        pairs=tuple(chosen),
        total_score=round(sum(p.score for p in chosen), 6),
        candidates_considered=kept.people,
        opportunities_considered=len(kept.limit),
        seconds=round(time.perf_counter() - started, 3),
    )


def _row_by_uid(conn: Connection, table: Table, uid: str, missing: str) -> Row[Any]:
    row = conn.execute(select(table).where(table.c.uid == uid)).first()
    if row is None or getattr(row, "merged_into_id", None) is not None:  # merged: gone
        raise UserError(missing)
    return row


def _taken(conn: Connection, opportunity_id: int, today: date) -> int:
    """Placements at an opportunity that hold a place on ``today``."""
    query = (
        select(func.count())
        .select_from(PLACEMENT)
        .where(and_(PLACEMENT.c.opportunity_id == opportunity_id, _open(today)))
    )
    return int(conn.execute(query).scalar_one())


def _check_accept(
    conn: Connection, candidate: Row[Any], opportunity: Row[Any], today: date
) -> None:
    """Refuse an opportunity that is closed or full, or a pair that is placed already."""
    title = opportunity.title
    if not opportunity.active or (
        opportunity.end_date is not None and opportunity.end_date < today
    ):
        raise UserError(N_("The opportunity {title} is no longer open."), title=title)
    placed = conn.execute(
        select(PLACEMENT.c.id).where(
            and_(
                PLACEMENT.c.candidate_id == candidate.id,
                PLACEMENT.c.opportunity_id == opportunity.id,
                _open(today),
            )
        )
    ).first()
    if placed is not None:
        raise UserError(
            N_("{name} already has a placement at {title}."), name=_name(candidate), title=title
        )
    if _taken(conn, opportunity.id, today) >= opportunity.places:
        raise UserError(N_("The opportunity {title} has no free place left."), title=title)


def _name(candidate: Row[Any]) -> str:
    parts = (candidate.voornamen, candidate.tussenvoegsel, candidate.achternaam)
    return " ".join(part for part in parts if part)


def _place(
    conn: Connection, candidate: Row[Any], opportunity: Row[Any], note: str, actor: Actor,
    today: date, now: datetime,
) -> list[dict[str, Any]]:  # fmt: skip
    """Insert the placement (stage "voorgesteld") and its first step; their audit rows."""
    placement_uid, step_uid = new_uid(), new_uid()
    values = {
        "candidate_id": candidate.id, "opportunity_id": opportunity.id,
        "organisation_id": opportunity.organisation_id, "kind": opportunity.kind,
        "start_date": today, "end_date": None, "days": opportunity.days,
        "hours_per_week": opportunity.hours_per_week, "wage_subsidy": False, "note": note,
        "stage": PROPOSED_STAGE,
    }  # fmt: skip
    placement_id = conn.execute(
        PLACEMENT.insert().values(uid=placement_uid, **values).returning(PLACEMENT.c.id)
    ).scalar_one()
    step = {
        "stage": PROPOSED_STAGE,
        "step_date": today,
        "note": note,
        "recorded_by": actor.name[:120],
    }
    conn.execute(STEP.insert(), [{"uid": step_uid, "placement_id": placement_id, **step}])
    audited = {
        "candidate": candidate.uid, "opportunity": opportunity.uid, "kind": opportunity.kind,
        "start_date": today, "days": opportunity.days, "stage": PROPOSED_STAGE,
    }  # fmt: skip
    return [
        audit_row(actor, "placement.create", "placement", placement_uid, new=audited, at=now),
        audit_row(actor, "placement.step", "placement_step", step_uid,
                  new={"placement": placement_uid, **step}, at=now),
    ]  # fmt: skip


def decide_match(
    db: Database,
    *,
    candidate_uid: str,
    opportunity_uid: str,
    accept: bool,
    reason: str = "",
    actor: Actor,
    today: date,
    now: datetime,
) -> None:
    """Record the coordinator's decision on a pair; audited.

    Accepting records the decision "accepted" and creates a placement in stage
    "voorgesteld" (kind, days and hours from the opportunity, starting ``today``) with
    its first step; ``reason`` becomes their note. Rejecting (overriding a proposal)
    records "rejected" with its reason; the pair is not proposed again.

    Raises:
        UserError: no reason for a rejection, or one over 200 characters; the
            candidate or opportunity does not exist; on accepting: the opportunity is
            closed or full, or the candidate is placed there already.
    """
    reason = " ".join(reason.split())
    if not accept and not reason:
        raise UserError(N_("Give a reason for rejecting this match."))
    if len(reason) > MAX_REASON:
        raise UserError(N_("A reason has at most {count} characters."), count=MAX_REASON)
    with transaction(db) as conn:
        candidate = _row_by_uid(
            conn, CANDIDATE, candidate_uid, N_("This candidate no longer exists; refresh the list.")
        )
        opportunity = _row_by_uid(
            conn, OPPORTUNITY, opportunity_uid,
            N_("This opportunity no longer exists; refresh the list."),
        )  # fmt: skip
        entries: list[dict[str, Any]] = []
        if accept:
            _check_accept(conn, candidate, opportunity, today)
            entries += _place(conn, candidate, opportunity, reason, actor, today, now)
        decision_uid = new_uid()
        decision = {
            "decision": ACCEPTED if accept else REJECTED, "reason": reason,
            "decided_by": actor.name[:120], "decided_at": now,
        }  # fmt: skip
        conn.execute(
            DECISION.insert(),
            [{"uid": decision_uid, "candidate_id": candidate.id,
              "opportunity_id": opportunity.id, **decision}],
        )  # fmt: skip
        audited = {"candidate": candidate_uid, "opportunity": opportunity_uid, **decision}
        action = "match.accept" if accept else "match.reject"
        entries.insert(0, audit_row(actor, action, "match_decision", decision_uid, new=audited,
                                    at=now))  # fmt: skip
        write_audit(conn, entries)
