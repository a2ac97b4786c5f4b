"""Loading what matching needs from the database, in a few bulk queries.

Candidates come with their work profile, their latest level per skill, the weekdays
on which they have lessons in the live timetable and the days of their active
placements; opportunities with their organisation, requirements and the candidates
holding a place on them. Everything is turned into the plain facts of
:mod:`kvds_desktop.services.work.rules` here, so the rules never touch the database.

Weekdays with lessons are the union of two sources: the weekdays of the timetable
slots valid on the reference date of the groups the candidate belongs to that day,
and the weekdays of every lesson that is not cancelled in the coming four weeks of a
group the candidate belongs to on the lesson's date (a group starting next week, a
lesson added by hand). A lesson on a closure day still counts: the slot recurs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Table, and_, or_, select

from kvds_desktop.domain.enums import Level, Skill, level_rank
from kvds_desktop.domain.names import display_name
from kvds_desktop.domain.progress import EXAM_SKILLS
from kvds_desktop.services.progress.levels import points_by_candidate
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    LESSON,
    MEMBERSHIP,
    SLOT,
    TABLES,
    active_on,
    parse_days,
)
from kvds_desktop.services.work.placements import ENDED
from kvds_desktop.services.work.places import TRANSPORTS
from kvds_desktop.services.work.rules import (
    DEFAULT_MAX_TRAVEL_MINUTES,
    MATCHABLE_STATUSES,
    CandidateFacts,
    OpportunityFacts,
)

PROFILE: Table = TABLES["work_profile"]
OPPORTUNITY: Table = TABLES["opportunity"]
ORGANISATION: Table = TABLES["organisation"]
PLACEMENT: Table = TABLES["placement"]

CHUNK = 900  # ids per IN (...) list, below SQLite's limit on bound parameters
LOOKAHEAD_DAYS = 28  # lessons of the coming four weeks count, besides the slots
DEFAULT_TRANSPORT = "fiets"
TRANSPORT_WORDS = {"bus": "ov", "trein": "ov", "openbaar vervoer": "ov", "fietsen": "fiets",
                   "te voet": "lopen", "brommer": "scooter", "snorfiets": "scooter"}  # fmt: skip
SKILLS = tuple(skill.value for skill in Skill)
EXAM_SKILL_CODES = tuple(skill.value for skill in EXAM_SKILLS)
LEVELS = frozenset(level.value for level in Level)


@dataclass(frozen=True)
class MatchWorld:
    """The candidates and opportunities to match, as facts."""

    candidates: tuple[CandidateFacts, ...]
    opportunities: tuple[OpportunityFacts, ...]


def fold(text: str) -> str:
    """Lower case without accents, runs of white space as one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def words(text: str) -> frozenset[str]:
    """The folded words (letters and digits) of ``text``."""
    return frozenset(re.findall(r"[^\W_]+", fold(text)))


def items(text: str) -> list[str]:
    """The non-empty parts of a comma- or semicolon-separated list."""
    return [part.strip() for part in re.split(r"[,;\n]", text or "") if part.strip()]


def transports(text: str) -> tuple[str, ...]:
    """The transport codes in a work profile's text (bike when none is recognised)."""
    folded = fold(text)
    for phrase, code in TRANSPORT_WORDS.items():
        folded = folded.replace(phrase, code)
    found = [w for w in re.findall(r"[^\W_]+", folded) if w in TRANSPORTS]
    return tuple(dict.fromkeys(found)) or (DEFAULT_TRANSPORT,)


def requirements(required_level: str | None, skill_levels: str) -> tuple[tuple[str, str], ...]:
    """Minimum level per skill: ``required_level`` for every exam skill, raised per skill
    by ``skill_levels`` ("spreken=a2,lezen=a1"); unknown skills or levels are ignored."""
    needed: dict[str, str] = {}
    overall = (required_level or "").strip().casefold()
    if overall in LEVELS:
        needed = dict.fromkeys(EXAM_SKILL_CODES, overall)
    for part in items(skill_levels):
        skill, _, level = (p.strip().casefold() for p in part.partition("="))
        if (skill in SKILLS and level in LEVELS) and (
            skill not in needed or level_rank(level) > level_rank(needed[skill])
        ):
            needed[skill] = level
    return tuple((skill, needed[skill]) for skill in SKILLS if skill in needed)


def _chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield list(values[start : start + CHUNK])


def active_placements(conn: Connection, today: date) -> list[tuple[int, int | None, str]]:
    """(candidate id, opportunity id, days) of every placement not ended on ``today``: not
    at the stage beeindigd and without an end date before ``today`` (as
    :func:`kvds_desktop.services.work.placements.list_placements`; a proposed placement
    holds its days and its place)."""
    rows = conn.execute(
        select(PLACEMENT.c.candidate_id, PLACEMENT.c.opportunity_id, PLACEMENT.c.days).where(
            and_(
                PLACEMENT.c.stage != ENDED,
                or_(PLACEMENT.c.end_date.is_(None), PLACEMENT.c.end_date >= today),
            )
        )
    )
    return [(int(r[0]), r[1], r[2] or "") for r in rows]


def lesson_days(conn: Connection, ids: Sequence[int] | None, today: date) -> dict[int, set[int]]:
    """Per candidate id: the weekdays with lessons (see the module docstring).

    ``ids`` None reads every candidate at once (no IN list).
    """
    found: dict[int, set[int]] = defaultdict(set)
    until = today + timedelta(days=LOOKAHEAD_DAYS - 1)
    slot_query = (
        select(MEMBERSHIP.c.candidate_id, SLOT.c.weekday)
        .select_from(SLOT.join(MEMBERSHIP, MEMBERSHIP.c.group_id == SLOT.c.group_id))
        .where(
            and_(
                active_on(MEMBERSHIP, today),
                SLOT.c.valid_from <= today,
                or_(SLOT.c.valid_to.is_(None), SLOT.c.valid_to >= today),
            )
        )
        .distinct()
    )
    lesson_query = (
        select(MEMBERSHIP.c.candidate_id, LESSON.c.lesson_date)
        .select_from(LESSON.join(MEMBERSHIP, MEMBERSHIP.c.group_id == LESSON.c.group_id))
        .where(
            and_(
                LESSON.c.lesson_date.between(today, until),
                LESSON.c.cancelled.is_(False),
                active_on(MEMBERSHIP, LESSON.c.lesson_date),
            )
        )
        .distinct()
    )
    parts = [None] if ids is None else list(_chunks(ids))
    for part in parts:
        slots, lessons = slot_query, lesson_query
        if part is not None:
            slots = slots.where(MEMBERSHIP.c.candidate_id.in_(part))
            lessons = lessons.where(MEMBERSHIP.c.candidate_id.in_(part))
        for cid, weekday in conn.execute(slots):
            found[int(cid)].add(int(weekday))
        for cid, day in conn.execute(lessons):
            found[int(cid)].add(day.isoweekday())
    return found


def _candidate_rows(conn: Connection, uids: Collection[str] | None) -> list[Any]:
    columns = (
        CANDIDATE.c.id, CANDIDATE.c.uid, CANDIDATE.c.voornamen, CANDIDATE.c.tussenvoegsel,
        CANDIDATE.c.achternaam, CANDIDATE.c.status, CANDIDATE.c.city, CANDIDATE.c.municipality,
        CANDIDATE.c.registration_date, PROFILE.c.available_days, PROFILE.c.hours_per_week,
        PROFILE.c.available_from, PROFILE.c.transport, PROFILE.c.max_travel_minutes,
        PROFILE.c.driving_licence, PROFILE.c.certificates, PROFILE.c.sector_wishes,
        PROFILE.c.work_history, PROFILE.c.work_years, PROFILE.c.education_years,
    )  # fmt: skip
    query = (
        select(*columns)
        .select_from(CANDIDATE.join(PROFILE, PROFILE.c.candidate_id == CANDIDATE.c.id))
        .where(CANDIDATE.c.merged_into_id.is_(None))
        .order_by(CANDIDATE.c.id)
    )
    if uids is None:
        return list(conn.execute(query.where(CANDIDATE.c.status.in_(sorted(MATCHABLE_STATUSES)))))
    rows: list[Any] = []
    for part in _chunks(sorted(set(uids))):
        rows.extend(conn.execute(query.where(CANDIDATE.c.uid.in_(part))))
    return sorted(rows, key=lambda r: r.id)


def _licence(row: Any) -> bool:
    return bool(row.driving_licence) or any(
        "rijbewijs" in words(c) for c in items(row.certificates or "")
    )


def load_candidates(
    conn: Connection,
    today: date,
    uids: Collection[str] | None,
    placements: list[tuple[int, int | None, str]],
) -> list[CandidateFacts]:
    """The candidates to match: with a work profile, not merged away; taking part now
    (:data:`~kvds_desktop.services.work.rules.MATCHABLE_STATUSES`) unless ``uids`` names
    them."""
    rows = _candidate_rows(conn, uids)
    ids = [int(r.id) for r in rows]
    points = points_by_candidate(conn, ids, today)
    busy = lesson_days(conn, ids if uids is not None else None, today)
    working: dict[int, list[tuple[int | None, frozenset[int]]]] = defaultdict(list)
    for cid, opportunity_id, days in placements:
        working[cid].append((opportunity_id, parse_days(days)))
    facts = []
    for r in rows:
        cid = int(r.id)
        levels = {skill: values[-1][2] for skill, values in points.get(cid, {}).items()}
        facts.append(
            CandidateFacts(
                id=cid, uid=r.uid, name=display_name(r.voornamen, r.tussenvoegsel, r.achternaam),
                status=r.status, place=(r.city or r.municipality or "").strip(),
                transports=transports(r.transport or ""),
                max_minutes=r.max_travel_minutes or DEFAULT_MAX_TRAVEL_MINUTES,
                licence=_licence(r),
                certificates=tuple(words(c) for c in items(r.certificates or "")),
                hours=r.hours_per_week, available_from=r.available_from,
                available_days=parse_days(r.available_days or ""),
                lesson_days=frozenset(busy.get(cid, ())), placements=tuple(working.get(cid, ())),
                levels=levels,
                sector_wishes=frozenset(fold(w) for w in items(r.sector_wishes or "")),
                history=fold(r.work_history or ""), work_years=r.work_years,
                education_years=r.education_years, registration_date=r.registration_date,
            )
        )  # fmt: skip
    return facts


def load_opportunities(
    conn: Connection,
    today: date,
    uids: Collection[str] | None,
    placements: list[tuple[int, int | None, str]],
) -> list[OpportunityFacts]:
    """The opportunities to match: active and not ended, unless ``uids`` names them."""
    organisation = ORGANISATION.join(
        OPPORTUNITY, ORGANISATION.c.id == OPPORTUNITY.c.organisation_id
    )
    query = (
        select(OPPORTUNITY, ORGANISATION.c.name.label("org_name"),
               ORGANISATION.c.city.label("org_city"))
        .select_from(organisation)
        .order_by(OPPORTUNITY.c.id)
    )  # fmt: skip
    if uids is None:
        rows = list(
            conn.execute(
                query.where(
                    and_(
                        OPPORTUNITY.c.active.is_(True),
                        or_(OPPORTUNITY.c.end_date.is_(None), OPPORTUNITY.c.end_date >= today),
                    )
                )
            )
        )
    else:
        rows = []
        for part in _chunks(sorted(set(uids))):
            rows.extend(conn.execute(query.where(OPPORTUNITY.c.uid.in_(part))))
        rows.sort(key=lambda r: r.id)
    holders: dict[int, set[int]] = defaultdict(set)
    for cid, opportunity_id, _days in placements:
        if opportunity_id is not None:
            holders[int(opportunity_id)].add(cid)
    return [_opportunity(r, frozenset(holders.get(int(r.id), ()))) for r in rows]


def _opportunity(r: Any, holders: frozenset[int]) -> OpportunityFacts:
    return OpportunityFacts(
        id=int(r.id), uid=r.uid, title=r.title, organisation=r.org_name,
        sector=fold(r.sector or ""), place=(r.city or r.org_city or "").strip(),
        days=parse_days(r.days or ""), hours=r.hours_per_week,
        requirements=requirements(r.required_level, r.skill_levels or ""),
        licence=bool(r.driving_licence_required),
        certificates=tuple((c, words(c)) for c in items(r.certificates or "")),
        active=bool(r.active), start=r.start_date, end=r.end_date, places=int(r.places),
        holders=holders,
    )  # fmt: skip


def load_world(
    conn: Connection,
    today: date,
    candidate_uids: Collection[str] | None = None,
    opportunity_uids: Collection[str] | None = None,
) -> MatchWorld:
    """Candidates and opportunities as facts, for the reference date ``today``."""
    placements = active_placements(conn, today)
    return MatchWorld(
        tuple(load_candidates(conn, today, candidate_uids, placements)),
        tuple(load_opportunities(conn, today, opportunity_uids, placements)),
    )
