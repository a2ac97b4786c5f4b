"""Matching candidates to opportunities: every hard rule with its reason, and a score.

The hard rules (:data:`~kvds_desktop.services.work.pairs.RULES`, in
:mod:`.rules`) decide whether a pair is feasible; feasible pairs get a score
(:mod:`.score`). Candidates are those taking part now (active or in intake) with a work
profile; opportunities those active and not ended; passing uids explicitly checks
exactly those records, whatever their state (the period rule then tells why they do
not fit).

- :func:`check_pairs`: every pair with every rule's result (the screens, the CLI, and
  any pair asked for explicitly); :func:`iter_pair_checks` yields them per candidate
  so that memory stays flat on large datasets.
- :func:`feasible_pairs`: only the feasible pairs, pruning the others early (the bulk
  proposal path); :func:`free_places`: the places left per opportunity.
- :func:`rank_for_candidate`, :func:`rank_for_opportunity`: the best fits first, then
  the nearest misses with their failed rules.
- :func:`render_reason`: a rule's reason in the user's language.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from typing import Any

from sqlalchemy import select

from kvds_desktop.domain.labels import LEVEL, SKILL, STATUS, WEEKDAYS_SHORT
from kvds_desktop.errors import N_, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services.scheduling.common import CANDIDATE
from kvds_desktop.services.work.evaluation import (
    CandidateEvaluation,
    OpportunityIndex,
    Trip,
    bit_positions,
)
from kvds_desktop.services.work.match_facts import (
    OPPORTUNITY,
    PROFILE,
    MatchWorld,
    active_placements,
    load_opportunities,
    load_world,
)
from kvds_desktop.services.work.pairs import PairCheck, RuleResult, ScoreWeights
from kvds_desktop.services.work.places import Places
from kvds_desktop.services.work.rules import TRANSPORT
from kvds_desktop.services.work.score import check_weights
from kvds_desktop.store.database import Database

DEFAULT_WEIGHTS = ScoreWeights()
DEFAULT_LIMIT = 20


def _evaluations(
    world: MatchWorld, today: date, weights: ScoreWeights, places: Places | None
) -> Iterator[CandidateEvaluation]:
    check_weights(weights)
    index = OpportunityIndex(world.opportunities, today)
    table = places or Places.load()
    trips: dict[tuple[str, str, tuple[str, ...]], Trip] = {}
    for candidate in world.candidates:
        yield CandidateEvaluation(candidate, index, table, trips, weights)


def _load(
    db: Database,
    today: date,
    candidate_uids: Collection[str] | None,
    opportunity_uids: Collection[str] | None,
) -> MatchWorld:
    with db.engine.connect() as conn:
        return load_world(conn, today, candidate_uids, opportunity_uids)


def iter_pair_checks(
    db: Database,
    *,
    today: date,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
    candidate_uids: Collection[str] | None = None,
    opportunity_uids: Collection[str] | None = None,
    feasible_only: bool = False,
    places: Places | None = None,
) -> Iterator[list[PairCheck]]:
    """Per candidate (by id), its pairs with every opportunity (by id).

    The facts are read first, in a few queries; the pairs are made as the caller asks
    for them. With ``feasible_only`` infeasible pairs are pruned without building
    their results. ``places`` defaults to the table shipped with the app.

    Raises:
        UserError: a score weight is negative.
    """
    world = _load(db, today, candidate_uids, opportunity_uids)
    for evaluation in _evaluations(world, today, weights, places):
        if feasible_only:
            checks = (evaluation.check(p) for p in bit_positions(evaluation.survivors()))
            yield [pair for pair in checks if pair.feasible]
        else:
            yield [evaluation.check(p) for p in range(len(world.opportunities))]


def check_pairs(
    db: Database,
    *,
    today: date,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
    candidate_uids: Collection[str] | None = None,
    opportunity_uids: Collection[str] | None = None,
    places: Places | None = None,
) -> list[PairCheck]:
    """Every pair of candidate and opportunity, feasible or not, with every rule's result.

    Without uids: the candidates taking part now with a work profile, and the active
    opportunities that have not ended. Uids given check exactly those candidates (with
    a work profile) or opportunities. For all pairs of a large dataset prefer
    :func:`iter_pair_checks` (flat memory) or :func:`feasible_pairs`.

    Raises:
        UserError: a score weight is negative.
    """
    return [
        pair
        for pairs in iter_pair_checks(
            db,
            today=today,
            weights=weights,
            candidate_uids=candidate_uids,
            opportunity_uids=opportunity_uids,
            places=places,
        )
        for pair in pairs
    ]


def feasible_pairs(
    db: Database,
    *,
    today: date,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
    places: Places | None = None,
) -> list[PairCheck]:
    """The feasible pairs of all candidates and opportunities (as :func:`check_pairs`
    without uids), by candidate and opportunity; infeasible pairs are pruned early.

    Raises:
        UserError: a score weight is negative.
    """
    return [
        pair
        for pairs in iter_pair_checks(
            db, today=today, weights=weights, feasible_only=True, places=places
        )
        for pair in pairs
    ]


def free_places(
    db: Database, today: date, opportunity_uids: Collection[str] | None = None
) -> dict[str, int]:
    """Per opportunity uid: its places minus the candidates with an active placement on it
    (never below 0). Without uids: the active opportunities that have not ended."""
    with db.engine.connect() as conn:
        placements = active_placements(conn, today)
        found = load_opportunities(conn, today, opportunity_uids, placements)
    return {o.uid: max(0, o.places - len(o.holders)) for o in found}


def _ranked(pairs: list[PairCheck], name: Any, limit: int) -> list[PairCheck]:
    feasible = sorted((p for p in pairs if p.feasible), key=lambda p: (-p.score, name(p)))
    others = sorted((p for p in pairs if not p.feasible), key=lambda p: (len(p.failed), name(p)))
    return (feasible + others)[: max(0, limit)]


def rank_for_candidate(
    db: Database,
    candidate_uid: str,
    *,
    today: date,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
    limit: int = DEFAULT_LIMIT,
    places: Places | None = None,
) -> list[PairCheck]:
    """The opportunities for one candidate: feasible ones by score (highest first), then
    the infeasible ones with the fewest failed rules first; at most ``limit``.

    Raises:
        UserError: the candidate does not exist or has no work profile; a weight is
            negative.
    """
    with db.engine.connect() as conn:
        found = conn.execute(
            select(CANDIDATE.c.id, PROFILE.c.id)
            .select_from(CANDIDATE.outerjoin(PROFILE, PROFILE.c.candidate_id == CANDIDATE.c.id))
            .where(CANDIDATE.c.uid == candidate_uid)
        ).first()
    if found is None:
        raise UserError(N_("This candidate no longer exists; refresh the list."))
    if found[1] is None:
        raise UserError(N_("This candidate has no work profile yet; fill it in to match."))
    pairs = check_pairs(
        db, today=today, weights=weights, candidate_uids=[candidate_uid], places=places
    )
    return _ranked(pairs, lambda p: (p.opportunity_title.casefold(), p.opportunity_uid), limit)


def rank_for_opportunity(
    db: Database,
    opportunity_uid: str,
    *,
    today: date,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
    limit: int = DEFAULT_LIMIT,
    places: Places | None = None,
) -> list[PairCheck]:
    """The candidates for one opportunity, ranked as :func:`rank_for_candidate`.

    Raises:
        UserError: the opportunity does not exist; a weight is negative.
    """
    with db.engine.connect() as conn:
        found = conn.execute(
            select(OPPORTUNITY.c.id).where(OPPORTUNITY.c.uid == opportunity_uid)
        ).first()
    if found is None:
        raise UserError(N_("This opportunity no longer exists; refresh the list."))
    pairs = check_pairs(
        db, today=today, weights=weights, opportunity_uids=[opportunity_uid], places=places
    )
    return _ranked(pairs, lambda p: (p.candidate_name.casefold(), p.candidate_uid), limit)


def _join(parts: list[str], tr: Translator) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return tr._("{items} and {last}").format(items=", ".join(parts[:-1]), last=parts[-1])


def _param(key: str, value: Any, tr: Translator) -> Any:
    if key == "days":
        return _join([tr._(WEEKDAYS_SHORT.get(day, str(day))) for day in value], tr)
    if key == "skill":
        return tr._(SKILL.get(value, value))
    if key in ("level", "required"):
        return tr._(LEVEL.get(value, value))
    if key == "transport":
        return tr._(TRANSPORT.get(value, value))
    if key == "status":
        return tr._(STATUS.get(value, value))
    if isinstance(value, date):
        return tr.date(value, "medium")
    return value


def render_reason(result: RuleResult, tr: Translator) -> str:
    """A rule's reason in the language of ``tr``, its parameters translated too.

    :meth:`RuleResult.render` only translates the message: the parameters are codes.
    Here weekday numbers become short day names joined with "and" ("Tue and Thu"),
    skill, level, transport and status codes their labels ("speaking", "A2", "by
    bike", "paused") and dates are written for the locale; numbers and names stay.
    """
    params = {key: _param(key, value, tr) for key, value in result.params.items()}
    text = tr._(result.message_id)
    return text.format(**params) if params else text


def render_reasons(pair: PairCheck, tr: Translator, *, failed_only: bool = False) -> str:
    """The reasons of a pair joined with "; " (only the failed ones with ``failed_only``)."""
    results = pair.failed if failed_only else pair.results
    return "; ".join(render_reason(result, tr) for result in results)
