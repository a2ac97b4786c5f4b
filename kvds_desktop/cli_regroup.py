"""The ``kvds regroup`` command: a regrouping proposal for one location, and making a move.

``kvds regroup --location NAME [--max-moves N] [--time-limit S]`` prints the proposed
moves and each group's spread of levels before and after them; ``--apply N`` makes move
N of that (fresh) proposal from ``--on`` (default today), after checking it again.
Registered by :mod:`kvds_desktop.cli`; the command shares its Context and exit statuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kvds_desktop.cli_options import date_arg as _date
from kvds_desktop.domain import labels
from kvds_desktop.errors import N_, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services import regroup
from kvds_desktop.services.audit import Actor

if TYPE_CHECKING:
    from kvds_desktop.cli import Context

EXIT_OK = 0
REASONS = {
    regroup.MoveReason.LARGEST_SPREAD: N_("narrows a group with the largest spread"),
    regroup.MoveReason.SPREAD: N_("narrows the spread of levels"),
    regroup.MoveReason.BAND: N_("fits the level band better"),
    regroup.MoveReason.ROOM: N_("frees a place for another move"),
}


def _move_json(number: int, move: regroup.Move) -> dict[str, Any]:
    return {
        "number": number,
        "candidate": move.candidate_uid,
        "name": move.candidate_name,
        "from_group": move.from_group,
        "from_group_uid": move.from_group_uid,
        "to_group": move.to_group,
        "to_group_uid": move.to_group_uid,
        "why": move.why.value,
        "levels": move.levels,
        "from_spread_before": move.from_spread_before,
        "from_spread_after": move.from_spread_after,
        "to_spread_before": move.to_spread_before,
        "to_spread_after": move.to_spread_after,
        "band_steps_from": move.band_steps_from,
        "band_steps_to": move.band_steps_to,
    }


def _proposal_json(proposal: regroup.RegroupProposal) -> dict[str, Any]:
    return {
        "location": proposal.location,
        "location_uid": proposal.location_uid,
        "today": proposal.today.isoformat(),
        "horizon_end": proposal.horizon_end.isoformat(),
        "largest_before": proposal.largest_before,
        "largest_after": proposal.largest_after,
        "already_minimal": proposal.already_minimal,
        "solver_status": proposal.solver_status,
        "seconds": proposal.seconds,
        "members": proposal.members,
        "movable": proposal.movable,
        "variables": proposal.variables,
        "constraints": proposal.constraints,
        "spread_before": proposal.spread_before,
        "spread_after": proposal.spread_after,
        "moves": [_move_json(n, m) for n, m in enumerate(proposal.moves, start=1)],
    }


def _skill(tr: Translator, skill: str) -> str:
    return tr._(labels.label(labels.SKILL, skill))


def _level(tr: Translator, level: str) -> str:
    return tr._(labels.label(labels.LEVEL, level))


def _proposal_text(tr: Translator, proposal: regroup.RegroupProposal) -> str:
    lines = [
        tr._("Regrouping {location} on {date}: {members} members, {movable} of them may "
             "move.").format(
            location=proposal.location, date=tr.date(proposal.today), members=proposal.members,
            movable=proposal.movable,
        ),
        tr._("Largest spread of levels: {before} → {after} steps ({status}, {seconds} s).").format(
            before=proposal.largest_before, after=proposal.largest_after,
            status=proposal.solver_status, seconds=tr.number(proposal.seconds),
        ),
    ]  # fmt: skip
    if proposal.already_minimal:
        lines.append(tr._("No regrouping within the rules lowers the largest spread."))
    if not proposal.moves:
        lines.append(tr._("No moves proposed."))
    for number, move in enumerate(proposal.moves, start=1):
        levels = ", ".join(
            f"{_skill(tr, skill)} {_level(tr, level)}" for skill, level in move.levels.items()
        )
        lines.append(
            tr._("{number}. {name}: {from_group} → {to_group} ({reason}; {levels})").format(
                number=number, name=move.candidate_name, from_group=move.from_group,
                to_group=move.to_group, reason=tr._(REASONS[move.why]), levels=levels,
            )
        )  # fmt: skip
    lines.append(tr._("Spread per group and skill, before → after:"))
    width = max((len(name) for name in proposal.spread_before), default=0)
    for name, before in proposal.spread_before.items():
        after = proposal.spread_after.get(name, {})
        parts = "  ".join(
            f"{_skill(tr, skill)} {steps}→{after.get(skill, 0)}" for skill, steps in before.items()
        )
        lines.append(f"  {name:<{width}}  {parts or '–'}")
    return "\n".join(lines)


def _regroup(ctx: Context) -> int:
    a = ctx.args
    db = ctx.open()
    try:
        proposal = regroup.propose_regrouping(
            db, location=a.location, today=ctx.today, max_moves=a.max_moves,
            time_limit=a.time_limit,
        )  # fmt: skip
        if a.apply is None:
            ctx.emit(_proposal_json(proposal), _proposal_text(ctx.tr, proposal))
            return EXIT_OK
        if not 1 <= a.apply <= len(proposal.moves):
            raise UserError(
                N_("There is no move {number}: the proposal has {count} moves."),
                number=a.apply,
                count=len(proposal.moves),
            )
        move = proposal.moves[a.apply - 1]
        on = a.on or ctx.today
        regroup.apply_move(db, move, on=on, actor=Actor.current())
    finally:
        db.close()
    data = {"applied": _move_json(a.apply, move), "on": on.isoformat()}
    text = ctx.tr._("{name} moves from {from_group} to {to_group} from {date} on.").format(
        name=move.candidate_name, from_group=move.from_group, to_group=move.to_group,
        date=ctx.tr.date(on),
    )  # fmt: skip
    ctx.emit(data, text)
    return EXIT_OK


def add_commands(command: Callable[[str, str], argparse.ArgumentParser], *_: Any) -> None:
    """Add ``kvds regroup`` to the ``kvds`` parser."""
    cmd = command("regroup", "propose moves between a location's groups that narrow level spreads")
    cmd.add_argument("--location", required=True, metavar="NAME", help="location name or uid")
    cmd.add_argument("--max-moves", type=int, metavar="N", help="propose at most N moves")
    cmd.add_argument(
        "--time-limit", type=float, default=5.0, metavar="SECONDS", help="solver time (5 s)"
    )
    cmd.add_argument("--apply", type=int, metavar="N", help="make move N of the proposal")
    cmd.add_argument(
        "--on", type=_date, metavar="DATE", help="with --apply: first day in the new group"
    )
    cmd.set_defaults(run=_regroup)
