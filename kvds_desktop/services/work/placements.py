"""Placements through their pipeline, and the placements that clash with lessons.

A placement (volunteer work, internship, trial placement, job, school) moves through the
stages voorgesteld → kennismaking → proefplaatsing → geplaatst → beeindigd. Every step is
kept with its date, note and who recorded it; going back a stage is allowed and audited
as such, and ending a placement needs an end date. A placement clashes when one of its
days falls on a lesson the candidate should attend: that list is what the Groepen page
shows right after a timetable change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from kvds_desktop.domain.enums import PlacementKind
from kvds_desktop.domain.names import display_name, sort_name
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    GROUP,
    LESSON,
    MEMBERSHIP,
    TABLES,
    active_on,
    load_closed_days,
    parse_days,
    transaction,
    write_audit,
)
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

PLACEMENT = TABLES["placement"]
STEP = TABLES["placement_step"]
ORGANISATION = TABLES["organisation"]
OPPORTUNITY = TABLES["opportunity"]

STAGE_LABELS: dict[str, str] = {
    "voorgesteld": N_("proposed"),
    "kennismaking": N_("introduction"),
    "proefplaatsing": N_("trial period"),
    "geplaatst": N_("placed"),
    "beeindigd": N_("ended"),
}
STAGES: tuple[str, ...] = tuple(STAGE_LABELS)  # in pipeline order
ENDED = "beeindigd"
MAX_HOURS = 60
MIN_REF = 6  # the shortest uid prefix a person may type


@dataclass(frozen=True)
class StepRow:
    """One step of a placement: the stage it reached, when, why, and who recorded it."""

    stage: str
    day: date
    note: str
    by: str


@dataclass(frozen=True)
class PlacementRow:
    """A placement with its organisation, days and the steps it went through."""

    uid: str
    candidate_uid: str
    candidate_name: str
    organisation: str
    opportunity_title: str
    kind: str  # a PlacementKind code
    stage: str  # one of STAGES
    start_date: date
    end_date: date | None
    days: tuple[int, ...]  # ISO weekdays
    hours_per_week: int | None
    steps: tuple[StepRow, ...]


@dataclass(frozen=True)
class ClashRow:
    """A lesson that falls on a day of an active placement of one of its candidates."""

    placement_uid: str
    candidate_uid: str
    candidate_name: str
    organisation: str
    lesson_uid: str
    lesson_date: date
    start: time
    end: time
    group_name: str


def stage_rank(stage: str) -> int:
    """The position of ``stage`` in the pipeline.

    Raises:
        UserError: not a stage.
    """
    if stage not in STAGES:
        raise UserError(
            N_("Unknown stage {stage}; use one of: {stages}."),
            stage=stage,
            stages=", ".join(STAGES),
        )
    return STAGES.index(stage)


def _running(today: date) -> Any:
    """SQL: the placement has not ended on ``today`` (upcoming ones count as running)."""
    return and_(
        PLACEMENT.c.stage != ENDED,
        or_(PLACEMENT.c.end_date.is_(None), PLACEMENT.c.end_date >= today),
    )


def _rows(conn: Connection, *conditions: Any) -> list[PlacementRow]:
    query = (
        select(
            PLACEMENT.c.id, PLACEMENT.c.uid, CANDIDATE.c.uid, CANDIDATE.c.voornamen,
            CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam, ORGANISATION.c.name,
            OPPORTUNITY.c.title, PLACEMENT.c.kind, PLACEMENT.c.stage, PLACEMENT.c.start_date,
            PLACEMENT.c.end_date, PLACEMENT.c.days, PLACEMENT.c.hours_per_week,
        )
        .select_from(
            PLACEMENT.join(CANDIDATE, CANDIDATE.c.id == PLACEMENT.c.candidate_id)
            .join(ORGANISATION, ORGANISATION.c.id == PLACEMENT.c.organisation_id)
            .outerjoin(OPPORTUNITY, OPPORTUNITY.c.id == PLACEMENT.c.opportunity_id)
        )
        .where(CANDIDATE.c.merged_into_id.is_(None), *conditions)
    )  # fmt: skip
    found = conn.execute(query).all()
    steps: dict[int, list[StepRow]] = {}
    ids = [row[0] for row in found]
    for start in range(0, len(ids), 500):
        for pid, stage, day, note, by in conn.execute(
            select(STEP.c.placement_id, STEP.c.stage, STEP.c.step_date, STEP.c.note,
                   STEP.c.recorded_by)
            .where(STEP.c.placement_id.in_(ids[start : start + 500]))
            .order_by(STEP.c.id)  # the order they were recorded in: the pipeline's path
        ):  # fmt: skip
            steps.setdefault(pid, []).append(StepRow(stage, day, note or "", by or ""))
    rows = [
        (
            sort_name(r[3] or "", r[4], r[5] or "").casefold(),
            PlacementRow(
                uid=r[1], candidate_uid=r[2], candidate_name=display_name(r[3] or "", r[4], r[5]),
                organisation=r[6] or "", opportunity_title=r[7] or "", kind=r[8], stage=r[9],
                start_date=r[10], end_date=r[11], days=tuple(sorted(parse_days(r[12] or ""))),
                hours_per_week=r[13], steps=tuple(steps.get(r[0], ())),
            ),
        )
        for r in found
    ]  # fmt: skip
    rows.sort(key=lambda pair: (pair[0], pair[1].start_date, pair[1].uid))
    return [row for _key, row in rows]


def list_placements(
    db: Database, *, today: date, candidate_uid: str | None = None, active_only: bool = True
) -> list[PlacementRow]:
    """The placements (of one candidate, or all), by candidate name and start date.

    ``active_only`` keeps the placements that have not ended on ``today``: not at the
    stage beeindigd and without an end date before ``today`` (upcoming ones included).
    """
    conditions: list[Any] = []
    if candidate_uid is not None:
        conditions.append(CANDIDATE.c.uid == candidate_uid)
    if active_only:
        conditions.append(_running(today))
    with db.engine.connect() as conn:
        return _rows(conn, *conditions)


def find_placement(db: Database, ref: str) -> str:
    """The uid of the placement whose uid is ``ref`` or starts with it (6 characters or more).

    Raises:
        UserError: no placement, or more than one, fits.
    """
    ref = ref.strip().lower()
    with db.engine.connect() as conn:
        if len(ref) >= MIN_REF:
            found = conn.execute(
                select(PLACEMENT.c.uid)
                .where(PLACEMENT.c.uid.startswith(ref, autoescape=True))
                .limit(2)
            ).all()
        else:
            found = []
    if len(found) == 1:
        return str(found[0][0])
    if found:
        raise UserError(N_("{ref} fits more than one placement; give more of the id."), ref=ref)
    raise UserError(N_("No placement has the id {ref}."), ref=ref)


def _load(conn: Connection, uid: str) -> Any:
    row = conn.execute(
        select(
            PLACEMENT.c.id, PLACEMENT.c.stage, PLACEMENT.c.start_date, PLACEMENT.c.end_date
        ).where(PLACEMENT.c.uid == uid)
    ).first()
    if row is None:
        raise UserError(N_("This placement no longer exists; refresh the list."))
    return row


def _one(conn: Connection, uid: str) -> PlacementRow:
    return _rows(conn, PLACEMENT.c.uid == uid)[0]


def _clean_days(days: str | Iterable[int]) -> str:
    text = days if isinstance(days, str) else ",".join(str(d) for d in days)
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not all(p.isdigit() and 1 <= int(p) <= 7 for p in parts):
        raise UserError(N_("Days are weekday numbers 1 to 7, separated by commas."))
    return ",".join(str(d) for d in sorted({int(p) for p in parts}))


def _add_step(conn: Connection, placement_id: int, stage: str, day: date, note: str,
              actor: Actor) -> None:  # fmt: skip
    conn.execute(STEP.insert().values(uid=new_uid(), placement_id=placement_id, stage=stage,
                                      step_date=day, note=note.strip(),
                                      recorded_by=actor.name[:120]))  # fmt: skip


def _check_hours(hours: int | None) -> None:
    if hours is not None and not 0 <= hours <= MAX_HOURS:
        raise UserError(N_("Hours per week are between 0 and {most}."), most=MAX_HOURS)


def _organisation_of(
    conn: Connection, organisation_uid: str | None, opportunity_uid: str | None
) -> tuple[int, int | None]:
    """The organisation id and the opportunity id of a new placement."""
    opportunity: Any = None
    if opportunity_uid is not None:
        opportunity = conn.execute(
            select(OPPORTUNITY.c.id, OPPORTUNITY.c.organisation_id).where(
                OPPORTUNITY.c.uid == opportunity_uid
            )
        ).first()
        if opportunity is None:
            raise UserError(N_("This opportunity no longer exists; refresh the list."))
    if organisation_uid is None:
        if opportunity is None:
            raise UserError(N_("Choose the organisation of the placement."))
        return int(opportunity[1]), int(opportunity[0])
    org_id = conn.execute(
        select(ORGANISATION.c.id).where(ORGANISATION.c.uid == organisation_uid)
    ).scalar()
    if org_id is None:
        raise UserError(N_("This organisation no longer exists; refresh the list."))
    if opportunity is not None and opportunity[1] != org_id:
        raise UserError(N_("The opportunity belongs to another organisation."))
    return int(org_id), (int(opportunity[0]) if opportunity is not None else None)


def add_placement(
    db: Database,
    *,
    candidate_uid: str,
    kind: str,
    start_date: date,
    days: str | Iterable[int],
    hours_per_week: int | None,
    actor: Actor,
    now: datetime,
    organisation_uid: str | None = None,
    opportunity_uid: str | None = None,
    end_date: date | None = None,
    stage: str = "voorgesteld",
    wage_subsidy: bool = False,
    note: str = "",
) -> PlacementRow:
    """Record a new placement at ``stage`` (not beeindigd); its first step is dated today.

    The organisation comes from ``organisation_uid``, or from the opportunity.

    Raises:
        UserError: an unknown kind or stage, days that are not weekday numbers, hours
            out of range, an end before the start, or the candidate, organisation or
            opportunity does not exist (or the opportunity is another organisation's).
    """
    if kind not in set(PlacementKind):
        kinds = ", ".join(PlacementKind)
        raise UserError(N_("Unknown placement kind {kind}; use one of: {kinds}."), kind=kind,
                        kinds=kinds)  # fmt: skip
    if stage_rank(stage) == stage_rank(ENDED):
        raise UserError(N_("A new placement cannot start at the stage 'ended'."))
    day_text = _clean_days(days)
    _check_hours(hours_per_week)
    if end_date is not None and end_date < start_date:
        raise UserError(N_("The placement ends before it starts."))
    with transaction(db) as conn:
        candidate_id = conn.execute(
            select(CANDIDATE.c.id).where(
                and_(CANDIDATE.c.uid == candidate_uid, CANDIDATE.c.merged_into_id.is_(None))
            )
        ).scalar()
        if candidate_id is None:
            raise UserError(N_("This candidate no longer exists; refresh the list."))
        org_id, opportunity_id = _organisation_of(conn, organisation_uid, opportunity_uid)
        values = {
            "uid": new_uid(), "candidate_id": candidate_id, "opportunity_id": opportunity_id,
            "organisation_id": org_id, "kind": kind, "start_date": start_date,
            "end_date": end_date, "days": day_text, "hours_per_week": hours_per_week,
            "wage_subsidy": wage_subsidy, "note": note.strip(), "stage": stage,
        }  # fmt: skip
        key = conn.execute(PLACEMENT.insert().values(**values)).inserted_primary_key
        assert key is not None
        _add_step(conn, key[0], stage, now.date(), note, actor)
        audited = {k: v for k, v in values.items() if k not in ("uid", "candidate_id")}
        audited["candidate"] = candidate_uid
        write_audit(
            conn, [audit_row(actor, "placement.add", "placement", values["uid"], new=audited,
                             at=now)]
        )  # fmt: skip
        return _one(conn, values["uid"])


def set_stage(
    db: Database,
    placement_uid: str,
    *,
    stage: str,
    day: date,
    note: str,
    actor: Actor,
    now: datetime,
    end_date: date | None = None,
) -> PlacementRow:
    """Move a placement to ``stage`` on ``day``, forward or back; returns it as it is now.

    Ending (beeindigd) sets the end date: ``end_date``, else ``day``. Going back from
    beeindigd reopens the placement (the end date is cleared). A step back is written
    to the audit trail as such (``backwards``).

    Raises:
        UserError: an unknown stage, the placement is at that stage already or no longer
            exists, or the end date lies before the start.
    """
    new_rank = stage_rank(stage)
    with transaction(db) as conn:
        pid, old_stage, start, old_end = _load(conn, placement_uid)
        if old_stage == stage:
            raise UserError(N_("The placement is at this stage already."))
        backwards = old_stage in STAGES and new_rank < stage_rank(old_stage)
        changes: dict[str, Any] = {"stage": stage}
        if stage == ENDED:
            end = end_date or day
            if end < start:
                raise UserError(N_("The placement ends before it starts."))
            changes["end_date"] = end
        elif old_stage == ENDED:
            changes["end_date"] = None
        conn.execute(PLACEMENT.update().where(PLACEMENT.c.id == pid).values(**changes))
        _add_step(conn, pid, stage, day, note, actor)
        old = {"stage": old_stage, "end_date": old_end}
        new = {**changes, "day": day, "note": note.strip(), "backwards": backwards}
        action = "placement.stage_back" if backwards else "placement.stage"
        write_audit(
            conn, [audit_row(actor, action, "placement", placement_uid, old=old, new=new, at=now)]
        )
        return _one(conn, placement_uid)


def end_placement(
    db: Database, placement_uid: str, *, end_date: date, note: str, actor: Actor, now: datetime
) -> PlacementRow:
    """End a placement on ``end_date`` (the stage beeindigd).

    Raises:
        UserError: the placement has ended already, no longer exists, or the end date
            lies before its start.
    """
    return set_stage(
        db, placement_uid, stage=ENDED, day=end_date, note=note, actor=actor, now=now,
        end_date=end_date,
    )  # fmt: skip


def placement_clashes(
    db: Database,
    *,
    today: date,
    weeks: int = 8,
    group_uid: str | None = None,
    candidate_uid: str | None = None,
) -> list[ClashRow]:
    """Lessons in the coming ``weeks`` (from ``today``) on a day of a running placement.

    A lesson counts for a candidate who belongs to its group on the lesson's date; a
    cancelled lesson, or one on a closure day of the group's location, does not. The
    placement must run on that date (between its start and its end). Sorted by date,
    time and candidate.
    """
    last = today + timedelta(days=7 * max(1, weeks) - 1)
    conditions: list[Any] = [_running(today), PLACEMENT.c.start_date <= last]
    if candidate_uid is not None:
        conditions.append(CANDIDATE.c.uid == candidate_uid)
    with db.engine.connect() as conn:
        placements = [p for p in _rows(conn, *conditions) if p.days]
        if not placements:
            return []
        ids = dict(
            conn.execute(
                select(CANDIDATE.c.uid, CANDIDATE.c.id).where(
                    CANDIDATE.c.uid.in_({p.candidate_uid for p in placements})
                )
            ).all()
        )
        lesson_filter = [
            MEMBERSHIP.c.candidate_id.in_(set(ids.values())),
            active_on(MEMBERSHIP, LESSON.c.lesson_date),
            LESSON.c.cancelled.is_(False),
            LESSON.c.lesson_date.between(today, last),
        ]
        if group_uid is not None:
            lesson_filter.append(GROUP.c.uid == group_uid)
        lessons = conn.execute(
            select(
                MEMBERSHIP.c.candidate_id, LESSON.c.uid, LESSON.c.lesson_date,
                LESSON.c.start_time, LESSON.c.end_time, GROUP.c.name, GROUP.c.location_id,
            )
            .select_from(
                LESSON.join(GROUP, GROUP.c.id == LESSON.c.group_id).join(
                    MEMBERSHIP, MEMBERSHIP.c.group_id == LESSON.c.group_id
                )
            )
            .where(and_(*lesson_filter))
        ).all()  # fmt: skip
        closed = load_closed_days(conn, today, last)
    by_candidate: dict[int, list[Any]] = {}
    for lesson in lessons:
        if not closed.is_closed(lesson[6], lesson[2]):
            by_candidate.setdefault(lesson[0], []).append(lesson)
    clashes = [
        ClashRow(
            placement_uid=p.uid, candidate_uid=p.candidate_uid, candidate_name=p.candidate_name,
            organisation=p.organisation, lesson_uid=lesson[1], lesson_date=lesson[2],
            start=lesson[3], end=lesson[4], group_name=lesson[5],
        )
        for p in placements
        for lesson in by_candidate.get(ids[p.candidate_uid], ())
        if lesson[2].isoweekday() in p.days
        and p.start_date <= lesson[2]
        and (p.end_date is None or lesson[2] <= p.end_date)
    ]  # fmt: skip
    clashes.sort(key=lambda c: (c.lesson_date, c.start, c.candidate_name, c.placement_uid))
    return clashes
