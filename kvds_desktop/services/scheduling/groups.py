"""Groups and their dated memberships, with the warnings the coordinator needs.

A group warns when it holds more candidates than its capacity, and when its current
members' levels (the latest assessment per skill) spread over more than a set number of
steps: the pilot's evaluation found that too wide a spread hurts learning. Moving a
candidate ends one membership the day before and starts the other: history is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from kvds_desktop.domain.enums import Level, Route, level_rank
from kvds_desktop.domain.names import display_name, sort_name
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.conflicts import EditGuard, versioned_update
from kvds_desktop.services.scheduling.common import (
    ASSESSMENT,
    CANDIDATE,
    GROUP,
    LOCATION,
    MEMBERSHIP,
    PROVIDER,
    GroupFacts,
    active_on,
    load_group,
    transaction,
    write_audit,
)
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

DEFAULT_MAX_SPREAD = 2
LEVELS = frozenset(level.value for level in Level)


@dataclass(frozen=True)
class GroupRow:
    """One group for the list, with its warnings."""

    uid: str
    name: str
    location: str
    level_band: str
    route: str
    capacity: int
    start: date
    end: date | None
    members_now: int
    over_capacity: bool
    level_spread: dict[str, int] = field(hash=False)  # skill -> steps between levels
    spread_warning: bool
    provider: str
    id: int = 0
    location_id: int = 0
    provider_id: int | None = None


@dataclass(frozen=True)
class MemberRow:
    """A candidate's membership of a group."""

    candidate_uid: str
    name: str
    since: date
    until: date | None
    klantnummer: str = ""
    membership_uid: str = ""


@dataclass(frozen=True)
class MembershipResult:
    """A new membership, and whether the group is now over its capacity (allowed)."""

    uid: str
    members: int  # members on the first day of the membership
    capacity: int
    over_capacity: bool


def _spreads(conn: Connection, today: date) -> dict[int, dict[str, int]]:
    """Per group: per skill, the steps between its current members' latest levels."""
    members = conn.execute(
        select(MEMBERSHIP.c.group_id, MEMBERSHIP.c.candidate_id).where(active_on(MEMBERSHIP, today))
    ).all()
    if not members:
        return {}
    ids = sorted({cid for _gid, cid in members})
    latest: dict[tuple[int, str], tuple[date, int, str]] = {}
    for start in range(0, len(ids), 900):
        rows = conn.execute(
            select(
                ASSESSMENT.c.candidate_id, ASSESSMENT.c.skill, ASSESSMENT.c.assessed_on,
                ASSESSMENT.c.id, ASSESSMENT.c.level,
            ).where(
                and_(
                    ASSESSMENT.c.candidate_id.in_(ids[start : start + 900]),
                    ASSESSMENT.c.assessed_on <= today,
                )
            )
        )  # fmt: skip
        for cid, skill, on, aid, level in rows:
            key = (cid, skill)
            if level in LEVELS and (key not in latest or latest[key][:2] < (on, aid)):
                latest[key] = (on, aid, level)
    levels: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for (cid, skill), (_on, _aid, level) in latest.items():
        levels[cid].append((skill, level))
    ranks: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for gid, cid in members:
        for skill, level in levels.get(cid, []):
            ranks[gid][skill].append(level_rank(level))
    return {
        gid: {skill: max(values) - min(values) for skill, values in sorted(skills.items())}
        for gid, skills in ranks.items()
    }


def group_rows(db: Database, today: date, max_spread: int = DEFAULT_MAX_SPREAD) -> list[GroupRow]:
    """Every group by name, with members on ``today`` and its warnings.

    ``level_spread`` holds, per skill, the steps between the lowest and the highest
    latest level of the current members (Alfa A to C1 are steps 0 to 7);
    ``spread_warning`` is set when a skill spreads over more than ``max_spread`` steps.
    """
    with db.engine.connect() as conn:
        counts: dict[int, int] = {
            r[0]: r[1]
            for r in conn.execute(
                select(MEMBERSHIP.c.group_id, func.count())
                .where(active_on(MEMBERSHIP, today))
                .group_by(MEMBERSHIP.c.group_id)
            )
        }
        spreads = _spreads(conn, today)
        rows = conn.execute(
            select(
                GROUP.c.id,
                GROUP.c.uid,
                GROUP.c.name,
                LOCATION.c.name,
                GROUP.c.level_band,
                GROUP.c.route,
                GROUP.c.capacity,
                GROUP.c.start_date,
                GROUP.c.end_date,
                PROVIDER.c.name,
                GROUP.c.location_id,
                GROUP.c.provider_id,
            )
            .select_from(
                GROUP.join(LOCATION, LOCATION.c.id == GROUP.c.location_id).outerjoin(
                    PROVIDER, PROVIDER.c.id == GROUP.c.provider_id
                )
            )
            .order_by(GROUP.c.name)
        ).all()
    result = []
    for gid, uid, name, location, band, route, capacity, start, end, provider, loc, prov in rows:
        members = int(counts.get(gid, 0))
        spread = spreads.get(gid, {})
        result.append(
            GroupRow(
                uid=uid, name=name, location=location, level_band=band, route=route,
                capacity=capacity, start=start, end=end, members_now=members,
                over_capacity=members > capacity, level_spread=spread,
                spread_warning=any(steps > max_spread for steps in spread.values()),
                provider=provider or "", id=gid, location_id=loc, provider_id=prov,
            )
        )  # fmt: skip
    return result


def save_group(
    db: Database,
    *,
    uid: str | None,
    name: str,
    location_id: int,
    level_band: str = "",
    route: str = "",
    capacity: int = 16,
    start: date,
    end: date | None = None,
    provider_id: int | None = None,
    actor: Actor,
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> str:
    """Create a group (``uid`` None) or change one; return its uid.

    ``expected_version`` and ``loaded``: the version and values the user loaded, to
    catch a change someone else saved meanwhile (see ``services/conflicts.py``).

    Raises:
        UserError: no name or a name in use, a capacity outside 1-100, an end before
            the start, an unknown route, location, provider or group.
        EditConflict: someone else saved the group since the user loaded it.
    """
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise UserError(N_("A group needs a name of at most 80 characters."))
    if not 1 <= capacity <= 100:
        raise UserError(N_("The capacity is a whole number from 1 to 100."))
    if end is not None and end < start:
        raise UserError(N_("The group ends before it starts."))
    if route and route not in {r.value for r in Route}:
        raise UserError(N_("{value} is not a learning route."), value=route)
    values: dict[str, Any] = {
        "name": name, "location_id": location_id, "provider_id": provider_id,
        "level_band": level_band.strip()[:30], "route": route, "capacity": capacity,
        "start_date": start, "end_date": end,
    }  # fmt: skip
    guard = EditGuard(db, GROUP, uid or "", expected=expected_version, loaded=loaded, yours=values)
    with guard.saving(), transaction(db) as conn:
        if conn.execute(select(LOCATION.c.id).where(LOCATION.c.id == location_id)).first() is None:
            raise UserError(N_("This location does not exist; refresh the list."))
        if provider_id is not None and (
            conn.execute(select(PROVIDER.c.id).where(PROVIDER.c.id == provider_id)).first() is None
        ):
            raise UserError(N_("This provider does not exist; refresh the list."))
        same = conn.execute(
            select(GROUP.c.uid).where(func.lower(GROUP.c.name) == name.lower())
        ).scalar()
        if same is not None and same != uid:
            raise UserError(N_("There is already a group called {name}."), name=name)
        if uid is None:
            uid = new_uid()
            conn.execute(GROUP.insert().values(uid=uid, **values))
            write_audit(conn, [audit_row(actor, "group.add", "study_group", uid, new=values)])
            return uid
        row = conn.execute(select(GROUP).where(GROUP.c.uid == uid)).mappings().first()
        if row is None:
            raise UserError(N_("This group no longer exists; refresh the list."))
        old = {key: row[key] for key in values if row[key] != values[key]}
        if old:
            new = {key: values[key] for key in old}
            guard.check(conn, row["version"])
            versioned_update(conn, guard, new)
            write_audit(
                conn, [audit_row(actor, "group.update", "study_group", uid, old=old, new=new)]
            )
        return uid


def group_members(db: Database, group_uid: str, on: date) -> list[MemberRow]:
    """The members of a group on a date, by name."""
    with db.engine.connect() as conn:
        group = load_group(conn, group_uid)
        rows = list(
            conn.execute(
                select(
                    CANDIDATE.c.uid,
                    CANDIDATE.c.voornamen,
                    CANDIDATE.c.tussenvoegsel,
                    CANDIDATE.c.achternaam,
                    MEMBERSHIP.c.start_date,
                    MEMBERSHIP.c.end_date,
                    CANDIDATE.c.klantnummer,
                    MEMBERSHIP.c.uid,
                )
                .select_from(
                    MEMBERSHIP.join(CANDIDATE, CANDIDATE.c.id == MEMBERSHIP.c.candidate_id)
                )
                .where(and_(MEMBERSHIP.c.group_id == group.id, active_on(MEMBERSHIP, on)))
            )
        )
    rows.sort(key=lambda r: sort_name(r[1], r[2], r[3]))
    return [
        MemberRow(r[0], display_name(r[1], r[2], r[3]), r[4], r[5], r[6] or "", r[7]) for r in rows
    ]


def _candidate(conn: Connection, uid: str) -> tuple[int, str]:
    row = conn.execute(
        select(
            CANDIDATE.c.id, CANDIDATE.c.voornamen, CANDIDATE.c.tussenvoegsel,
            CANDIDATE.c.achternaam,
        ).where(and_(CANDIDATE.c.uid == uid, CANDIDATE.c.merged_into_id.is_(None)))
    ).first()  # fmt: skip
    if row is None:
        raise UserError(N_("This candidate no longer exists; refresh the list."))
    return row[0], display_name(row[1], row[2], row[3])


def _membership(conn: Connection, group: GroupFacts, candidate_id: int, on: date) -> Any:
    return conn.execute(
        select(MEMBERSHIP)
        .where(and_(MEMBERSHIP.c.group_id == group.id, MEMBERSHIP.c.candidate_id == candidate_id))
        .where(active_on(MEMBERSHIP, on))
        .order_by(MEMBERSHIP.c.start_date.desc())
    ).first()


def _start(
    conn: Connection, group: GroupFacts, candidate: tuple[int, str], start: date, actor: Actor
) -> MembershipResult:
    if start < group.start or (group.end is not None and start > group.end):
        raise UserError(
            N_("{group} runs from {start} to {end}; {date} lies outside it."),
            group=group.name,
            start=group.start.isoformat(),
            end=group.end.isoformat() if group.end else "…",
            date=start.isoformat(),
        )
    later = conn.execute(
        select(MEMBERSHIP.c.id).where(
            and_(
                MEMBERSHIP.c.group_id == group.id,
                MEMBERSHIP.c.candidate_id == candidate[0],
                or_(MEMBERSHIP.c.end_date.is_(None), MEMBERSHIP.c.end_date >= start),
            )
        )
    ).first()
    if later is not None:
        raise UserError(
            N_("{name} is already a member of {group} on {date} or later."),
            name=candidate[1],
            group=group.name,
            date=start.isoformat(),
        )
    uid = new_uid()
    values = {"group_id": group.id, "candidate_id": candidate[0], "start_date": start}
    conn.execute(MEMBERSHIP.insert().values(uid=uid, end_date=None, **values))
    write_audit(conn, [audit_row(actor, "membership.add", "group_membership", uid, new=values)])
    members = conn.execute(
        select(func.count()).where(
            and_(MEMBERSHIP.c.group_id == group.id, active_on(MEMBERSHIP, start))
        )
    ).scalar_one()
    return MembershipResult(uid, members, group.capacity, members > group.capacity)


def _close(conn: Connection, row: Any, last: date, actor: Actor) -> None:
    """End the membership ``row`` on ``last``; remove it if it would hold no day at all."""
    old = {"start_date": row.start_date, "end_date": row.end_date}
    if last < row.start_date:
        conn.execute(MEMBERSHIP.delete().where(MEMBERSHIP.c.id == row.id))
        write_audit(
            conn, [audit_row(actor, "membership.delete", "group_membership", row.uid, old=old)]
        )
        return
    conn.execute(MEMBERSHIP.update().where(MEMBERSHIP.c.id == row.id).values(end_date=last))
    new = {"end_date": last}
    write_audit(
        conn, [audit_row(actor, "membership.end", "group_membership", row.uid, old=old, new=new)]
    )


def _member_on(conn: Connection, group: GroupFacts, candidate: tuple[int, str], on: date) -> Any:
    row = _membership(conn, group, candidate[0], on)
    if row is None:
        raise UserError(
            N_("{name} is not a member of {group} on {date}."),
            name=candidate[1],
            group=group.name,
            date=on.isoformat(),
        )
    return row


def add_member(
    db: Database, group_uid: str, candidate_uid: str, start: date, actor: Actor
) -> MembershipResult:
    """Make a candidate a member of a group from ``start`` on.

    A group may go over its capacity; the result says so.

    Raises:
        UserError: unknown group or candidate, ``start`` outside the group's period, or
            the candidate is already a member on or after ``start``.
    """
    with transaction(db) as conn:
        return _start(
            conn, load_group(conn, group_uid), _candidate(conn, candidate_uid), start, actor
        )


def end_member(db: Database, group_uid: str, candidate_uid: str, end: date, actor: Actor) -> None:
    """End a candidate's membership of a group: ``end`` is the last day in it.

    Raises:
        UserError: unknown group or candidate, or not a member on ``end``.
    """
    with transaction(db) as conn:
        candidate = _candidate(conn, candidate_uid)
        _close(conn, _member_on(conn, load_group(conn, group_uid), candidate, end), end, actor)


def move_member(
    db: Database,
    candidate_uid: str,
    from_group_uid: str,
    to_group_uid: str,
    on: date,
    actor: Actor,
) -> MembershipResult:
    """Move a candidate to another group from ``on``: the old membership ends the day before.

    Both memberships stay in the history (a membership that would have lasted no day is
    removed). Returns the new membership, with the capacity warning.

    Raises:
        UserError: the same group twice, or what :func:`add_member` and
            :func:`end_member` refuse.
    """
    if from_group_uid == to_group_uid:
        raise UserError(N_("Choose another group to move to."))
    with transaction(db) as conn:
        candidate = _candidate(conn, candidate_uid)
        row = _member_on(conn, load_group(conn, from_group_uid), candidate, on)
        _close(conn, row, on - timedelta(days=1), actor)
        return _start(conn, load_group(conn, to_group_uid), candidate, on, actor)
