"""The bulk reads behind the progress summaries: candidates, PIPs, groups and hours.

Each function reads many candidates at once, in chunks of ids below SQLite's limit on
variables, so a summary of thousands of candidates is a handful of queries.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, func, select

from kvds_desktop.domain.names import display_name, sort_name
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.attendance import figures
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    GROUP,
    LESSON,
    LOCATION,
    MARK,
    MEMBERSHIP,
    TABLES,
    active_on,
)

PIP = TABLES["pip_version"]
CHUNK = 900


@dataclass(frozen=True)
class CandidateFacts:
    """The columns of a candidate a progress summary needs."""

    id: int
    uid: str
    name: str
    sort_key: str
    klantnummer: str
    law: str
    route: str
    target_level: str | None  # the streefniveau kept on the candidate
    pip_target: str | None  # the latest PIP version's target level
    term_end: date | None  # extensions included (kept by the candidates services)


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    """``ids`` in lists of at most CHUNK."""
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def selected_ids(
    conn: Connection, uids: Collection[str] | None, ended: Collection[str]
) -> list[int]:
    """The ids of the candidates ``uids`` (unknown ones left out), or when None of every
    candidate in progress: not merged into another and not in an ``ended`` status.
    """
    if uids is None:
        query = select(CANDIDATE.c.id).where(
            and_(CANDIDATE.c.merged_into_id.is_(None), CANDIDATE.c.status.not_in(list(ended)))
        )
        return sorted(int(cid) for cid in conn.execute(query).scalars())
    wanted = sorted(set(uids))
    found: set[int] = set()
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start : start + CHUNK]
        found.update(
            int(cid)
            for cid in conn.execute(select(CANDIDATE.c.id).where(CANDIDATE.c.uid.in_(part)))
            .scalars()
        )  # fmt: skip
    return sorted(found)


def _latest_pips(conn: Connection, ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """Per candidate id: (route, target level) of the PIP version with the highest number."""
    latest: dict[int, tuple[int, str, str | None]] = {}
    rows = conn.execute(
        select(PIP.c.candidate_id, PIP.c.version, PIP.c.route, PIP.c.target_level).where(
            PIP.c.candidate_id.in_(ids)
        )
    )
    for cid, version, route, target in rows:
        if cid not in latest or latest[cid][0] < version:
            latest[int(cid)] = (int(version), route or "", target or None)
    return {cid: (route, target) for cid, (_v, route, target) in latest.items()}


def load_facts(conn: Connection, ids: Sequence[int]) -> dict[int, CandidateFacts]:
    """The facts of the candidates ``ids``, by id."""
    c = CANDIDATE.c
    found: dict[int, CandidateFacts] = {}
    for part in chunks(ids):
        pips = _latest_pips(conn, part)
        rows = conn.execute(
            select(
                c.id, c.uid, c.voornamen, c.tussenvoegsel, c.achternaam, c.klantnummer, c.law,
                c.route, c.target_level, c.term_end,
            ).where(c.id.in_(part))
        )  # fmt: skip
        for cid, uid, first, infix, last, number, law, route, target, term_end in rows:
            pip_route, pip_target = pips.get(cid, ("", None))
            found[int(cid)] = CandidateFacts(
                id=int(cid),
                uid=str(uid),
                name=display_name(first or "", infix, last or ""),
                sort_key=sort_name(first or "", infix, last or "").casefold(),
                klantnummer=number or "",
                law=law or "",
                route=route or pip_route,
                target_level=target or None,
                pip_target=pip_target,
                term_end=term_end,
            )
    return found


def current_groups(conn: Connection, ids: Sequence[int], today: date) -> dict[int, tuple[str, ...]]:
    """Per candidate id: the names of the groups the candidate is in on ``today``."""
    found: dict[int, list[str]] = {}
    for part in chunks(ids):
        rows = conn.execute(
            select(MEMBERSHIP.c.candidate_id, GROUP.c.name)
            .select_from(MEMBERSHIP.join(GROUP, GROUP.c.id == MEMBERSHIP.c.group_id))
            .where(and_(MEMBERSHIP.c.candidate_id.in_(part), active_on(MEMBERSHIP, today)))
        )
        for cid, name in rows:
            found.setdefault(int(cid), []).append(str(name))
    return {cid: tuple(sorted(set(names))) for cid, names in found.items()}


def _marked_since_start(ids: list[int], today: date) -> Select[Any]:
    """(candidate_id, lesson_id) of every held lesson with a mark of the candidate, from the
    start of the term (the registration before it starts) up to ``today``.

    Only marked lessons can hold followed hours, so the lessons a candidate was offered
    without a mark are left out: the followed hours come out the same, faster.
    """
    start = func.coalesce(CANDIDATE.c.term_start, CANDIDATE.c.registration_date)
    return (
        select(MARK.c.candidate_id, MARK.c.lesson_id)
        .select_from(
            MARK.join(CANDIDATE, CANDIDATE.c.id == MARK.c.candidate_id).join(
                LESSON, LESSON.c.id == MARK.c.lesson_id
            )
        )
        .where(
            and_(
                MARK.c.candidate_id.in_(ids),
                LESSON.c.lesson_date <= today,
                LESSON.c.lesson_date >= start,
                LESSON.c.cancelled.is_(False),
            )
        )
    )


def hours_since_start(
    conn: Connection, ids: Sequence[int], today: date
) -> dict[int, tuple[float, float]]:
    """Per candidate id: (hours followed, of which in person) since the start of the term.

    The counting is the attendance figures' own (minutes late or left early are not
    followed; online lessons are not in person), over the marked lessons only.
    """
    found: dict[int, tuple[float, float]] = {}
    for part in chunks(ids):
        for cid, rows in figures._aggregate(conn, _marked_since_start(part, today)).items():
            counted = figures.AttendanceFigures(str(cid), "")
            for row in rows:
                counted._add(row)
            found[cid] = (counted.hours_followed, counted.in_person_hours_followed)
    return found


def group_header(conn: Connection, group_uid: str) -> tuple[str, str, str]:
    """(name, location, level band) of the group ``group_uid``.

    Raises:
        UserError: the group does not exist.
    """
    row = conn.execute(
        select(GROUP.c.name, LOCATION.c.name, GROUP.c.level_band)
        .select_from(GROUP.outerjoin(LOCATION, LOCATION.c.id == GROUP.c.location_id))
        .where(GROUP.c.uid == group_uid)
    ).first()
    if row is None:
        raise UserError(N_("This group no longer exists; refresh the list."))
    return str(row[0]), str(row[1] or ""), str(row[2] or "")
