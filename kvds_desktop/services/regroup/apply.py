"""Making one proposed move, after checking that it still holds.

Between proposing and applying, the groups may have changed: another member may have
taken the last seat, a lesson may have moved, a placement may have started. The move
is checked again on the day it takes effect, and made with the groups service
(:func:`~kvds_desktop.services.scheduling.groups.move_member`), which keeps the history
and writes the audit trail.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, func, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.regroup.facts import Timetable
from kvds_desktop.services.regroup.proposal import HORIZON_DAYS, Move
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    MEMBERSHIP,
    active_on,
    load_group,
)
from kvds_desktop.services.scheduling.groups import move_member
from kvds_desktop.store.database import Database


def apply_move(
    db: Database, move: Move, *, on: date, actor: Actor, horizon_days: int = HORIZON_DAYS
) -> None:
    """Move the candidate of ``move`` to its new group from ``on``, after checking it again.

    The day before ``on`` is their last day in the old group.

    Raises:
        UserError: the candidate or a group no longer exists; the new group is full on
            ``on``; its lessons in the ``horizon_days`` days from ``on`` clash with the
            candidate's other lessons or a placement; or what the groups service
            refuses (not a member of the old group on ``on``, ``on`` outside the new
            group's period).
    """
    with db.engine.connect() as conn:
        source = load_group(conn, move.from_group_uid)
        target = load_group(conn, move.to_group_uid)
        candidate_id = conn.execute(
            select(CANDIDATE.c.id).where(
                and_(CANDIDATE.c.uid == move.candidate_uid, CANDIDATE.c.merged_into_id.is_(None))
            )
        ).scalar()
        if candidate_id is None:
            raise UserError(N_("This candidate no longer exists; refresh the list."))
        members = conn.execute(
            select(func.count()).where(
                and_(MEMBERSHIP.c.group_id == target.id, active_on(MEMBERSHIP, on))
            )
        ).scalar_one()
    if members >= target.capacity:
        raise UserError(
            N_("{group} is full on {date} ({members} of {capacity} places): {name} cannot "
               "move there now."),
            group=target.name, date=on.isoformat(), members=members, capacity=target.capacity,
            name=move.candidate_name,
        )  # fmt: skip
    end = on + timedelta(days=max(1, horizon_days) - 1)
    clash = Timetable(db, on, end, [candidate_id]).clash(candidate_id, source.id, target.id, on)
    if clash is not None and clash.placement:
        raise UserError(
            N_("{name} cannot move to {group}: its lesson on {date} falls on a day of "
               "their placement."),
            name=move.candidate_name, group=target.name, date=clash.day.isoformat(),
        )  # fmt: skip
    if clash is not None:
        raise UserError(
            N_("{name} cannot move to {group}: its lesson on {date} clashes with a lesson "
               "of {other_group}."),
            name=move.candidate_name, group=target.name, date=clash.day.isoformat(),
            other_group=clash.other_group,
        )  # fmt: skip
    move_member(db, move.candidate_uid, source.uid, target.uid, on, actor)
