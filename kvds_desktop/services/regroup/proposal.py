"""A regrouping proposal for one location: moves that narrow the spread of levels in groups.

The spread of a group on a skill is the steps between the highest and the lowest latest
level of its current members (as on the groups list). Who may move where:

- a current member with at least one measured level, not already leaving their group
  and in no other group of the location;
- to another group of the location that runs through the coming weeks and is not over
  its capacity;
- whose level band they fit (no skill more than one step outside it) at least as well
  as the band of the group they leave;
- whose lessons in the coming weeks clash with none of their other commitments
  (lessons of their other groups, placements on fixed weekdays).

The solver (:mod:`.model`) then lowers the largest spread first, then the sum of the
spreads, with a small cost per move. Moves come in an order in which each one can be
made without putting a group over its capacity.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from kvds_desktop.domain.progress import spread
from kvds_desktop.services.regroup import model
from kvds_desktop.services.regroup.bands import band_misfit, fits_band
from kvds_desktop.services.regroup.facts import (
    GroupInfo,
    MemberInfo,
    Timetable,
    current_members,
    find_location,
    location_groups,
)
from kvds_desktop.store.database import Database

HORIZON_DAYS = 28  # the coming weeks whose lessons must not clash
MOVE_COST = 0.9  # in steps of summed spread: each move must narrow them by a step


class MoveReason(StrEnum):
    """Why a move is proposed (the screen words it, with the numbers of the move)."""

    LARGEST_SPREAD = "largest_spread"  # it narrows a group that had the largest spread
    SPREAD = "spread"  # it narrows the spread of the groups it touches
    BAND = "band"  # the candidate fits the new group's level band better
    ROOM = "room"  # it frees a seat another move needs


@dataclass(frozen=True)
class Move:
    """One proposed move, with the numbers that explain it.

    The spreads are per skill, of the group before and after the whole proposal; the
    band steps say how far the candidate's levels lie outside each group's level band.
    """

    candidate_uid: str
    candidate_name: str
    from_group_uid: str
    from_group: str
    to_group_uid: str
    to_group: str
    why: MoveReason
    levels: dict[str, str] = field(hash=False)  # skill -> the candidate's latest level
    from_spread_before: dict[str, int] = field(hash=False)
    from_spread_after: dict[str, int] = field(hash=False)
    to_spread_before: dict[str, int] = field(hash=False)
    to_spread_after: dict[str, int] = field(hash=False)
    band_steps_from: int = 0
    band_steps_to: int = 0


@dataclass(frozen=True)
class RegroupProposal:
    """The moves proposed for a location, with the spreads before and after them.

    ``spread_before`` and ``spread_after`` hold, per group name, per skill, the steps
    between the highest and the lowest latest level of its members. ``solver_status``
    is ``optimal`` (nothing better exists under the rules), ``time_limit`` (the best
    found in the time given) or another HiGHS status (then no moves are proposed).
    """

    location: str
    location_uid: str
    today: date
    horizon_end: date
    moves: tuple[Move, ...]
    spread_before: dict[str, dict[str, int]] = field(hash=False)
    spread_after: dict[str, dict[str, int]] = field(hash=False)
    largest_before: int
    largest_after: int
    solver_status: str
    seconds: float  # time spent in the solver
    members: int = 0  # current members of the location's groups
    movable: int = 0  # of them, with at least one other group they may go to
    variables: int = 0  # size of the model
    constraints: int = 0

    @property
    def already_minimal(self) -> bool:
        """Whether no regrouping under the rules lowers the largest spread."""
        return self.solver_status == "optimal" and self.largest_after == self.largest_before


def _options(
    member: MemberInfo,
    index: dict[int, int],
    groups: list[GroupInfo],
    timetable: Timetable,
    today: date,
) -> tuple[int, ...]:
    """The groups a member may be in: their own first, then those that pass every check."""
    here = index[member.group_id]
    if member.fixed or not member.levels:
        return (here,)
    ranks = member.ranks
    misfit = band_misfit(ranks, groups[here].band)
    options = [here]
    for g, group in enumerate(groups):
        if (
            g == here
            or group.members > group.capacity
            or (group.end is not None and group.end < timetable.end)
            or not fits_band(ranks, group.band)
            or band_misfit(ranks, group.band) > misfit
        ):
            continue
        if timetable.clash(member.candidate_id, member.group_id, group.id, today) is None:
            options.append(g)
    return tuple(options)


def _spreads(
    groups: list[GroupInfo], members: list[MemberInfo], assignment: tuple[int, ...]
) -> dict[str, dict[str, int]]:
    levels: list[dict[str, list[str]]] = [{} for _ in groups]
    for member, g in zip(members, assignment, strict=True):
        for skill, level in member.levels.items():
            levels[g].setdefault(skill, []).append(level)
    return {
        group.name: {skill: spread(values) for skill, values in sorted(levels[g].items())}
        for g, group in enumerate(groups)
    }


def _largest(spreads: dict[str, dict[str, int]]) -> int:
    return max((steps for skills in spreads.values() for steps in skills.values()), default=0)


def _reason(move: Move, largest_before: int) -> MoveReason:
    before = {**move.from_spread_before, "": 0}, {**move.to_spread_before, "": 0}
    after = {**move.from_spread_after, "": 0}, {**move.to_spread_after, "": 0}
    for old, new in zip(before, after, strict=True):
        if max(old.values()) == largest_before > max(new.values()):
            return MoveReason.LARGEST_SPREAD
    if move.band_steps_to < move.band_steps_from:
        return MoveReason.BAND
    if sum(after[0].values()) + sum(after[1].values()) < sum(before[0].values()) + sum(
        before[1].values()
    ):
        return MoveReason.SPREAD
    return MoveReason.ROOM


def propose_regrouping(
    db: Database,
    *,
    location: str,
    today: date,
    max_moves: int | None = None,
    time_limit: float = 5.0,
    horizon_days: int = HORIZON_DAYS,
) -> RegroupProposal:
    """Propose moves between the groups of a location that narrow their level spreads.

    ``location`` is a name (any case) or a uid; ``max_moves`` caps the number of moves;
    ``time_limit`` caps the solver's seconds; lessons from ``today`` over the next
    ``horizon_days`` days must not clash. Nothing is written.

    Raises:
        UserError: no location has that name or uid.
    """
    place = find_location(db, location)
    with db.engine.connect() as conn:
        groups = location_groups(conn, place.id, today)
        members = current_members(conn, groups, today)
    horizon_end = today + timedelta(days=max(1, horizon_days) - 1)
    timetable = Timetable(
        db, today, horizon_end, (m.candidate_id for m in members if not m.fixed and m.levels)
    )
    index = {g.id: n for n, g in enumerate(groups)}
    problem = model.Problem(
        limits=tuple(max(g.capacity, g.members) for g in groups),
        free=tuple(max(0, g.capacity - g.members) for g in groups),
        options=tuple(_options(m, index, groups, timetable, today) for m in members),
        ranks=tuple(m.ranks for m in members),
        move_cost=MOVE_COST,
        max_moves=None if max_moves is None else max(0, max_moves),
    )
    current = tuple(problem.current(p) for p in range(len(members)))
    result = model.search(problem, time_limit)
    final = result.assignment
    before = _spreads(groups, members, current)
    after = _spreads(groups, members, final)
    largest_before = _largest(before)
    moves = []
    for p in result.order:
        member, old, new = members[p], groups[current[p]], groups[final[p]]
        move = Move(
            candidate_uid=member.candidate_uid, candidate_name=member.name,
            from_group_uid=old.uid, from_group=old.name, to_group_uid=new.uid,
            to_group=new.name, why=MoveReason.ROOM, levels=dict(member.levels),
            from_spread_before=dict(before[old.name]), from_spread_after=dict(after[old.name]),
            to_spread_before=dict(before[new.name]), to_spread_after=dict(after[new.name]),
            band_steps_from=band_misfit(member.ranks, old.band),
            band_steps_to=band_misfit(member.ranks, new.band),
        )  # fmt: skip
        moves.append(replace(move, why=_reason(move, largest_before)))
    return RegroupProposal(
        location=place.name, location_uid=place.uid, today=today, horizon_end=horizon_end,
        moves=tuple(moves), spread_before=before, spread_after=after,
        largest_before=largest_before, largest_after=_largest(after),
        solver_status=result.status, seconds=result.seconds, members=len(members),
        movable=sum(1 for opts in problem.options if len(opts) > 1),
        variables=result.variables, constraints=result.constraints,
    )  # fmt: skip
