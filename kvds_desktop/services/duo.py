"""The DUO monthly contract rows for Wi2013 candidates, and writing the file with an audit.

Who: candidates under Wi2013 (not merged) who were offered a DUO course lesson in the
month, as a member of the lesson's group on its date or with a mark in it. DUO courses
are the activity categories ``taal``, ``knm``, ``alfa`` (the NT2 inburgeringscursus) and
``ona_map`` (ONA); trainings, participation and PVT are not DUO courses and are left out.

Per candidate and month:

- course kind ``"NT2"`` when language, KNM or literacy lessons were offered (ONA lessons
  alongside are counted in the same row), ``"ONA"`` when only ONA lessons were;
- start date: the earliest start of the candidate's memberships of groups with DUO
  lessons that month; end date: the latest end of those memberships (the group's end
  when the membership is open), or none when one of them is open-ended;
- hours bought: the hours of the held (not cancelled) DUO lessons of those groups while
  the candidate was a member (the attendance figures' *offered* hours);
- hours attended: the followed hours of those lessons (present, less minutes late or
  left early);
- ONA hours: the followed hours of ONA lessons.

A candidate without a valid BSN gets a row with a ``problem`` (never dropped silently).

Example (the command the lead wires as ``kvds export duo --month 2026-11 --bow NUMBER
--out-dir DIR``)::

    rows = duo_contract_rows(db, month=(2020, 3), today=ctx.today)
    result = export_duo(db, rows=rows, month=(2020, 3), bow=bow, out_dir=out_dir,
                        today=ctx.today, actor=Actor.current(), now=now)
    ctx.emit({"file": str(result.path), "rows": result.written,
              "problems": [{"name": r.name, "klantnummer": r.klantnummer,
                            "problem": ctx.tr._(r.problem)} for r in result.problems]},
             text)
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select, union

from kvds_desktop.domain import bsn as bsn_rules
from kvds_desktop.domain.enums import ActivityCategory, Law
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.duo_export import BAD_BSN, NO_BSN, DuoRow, problem_rows, write_duo_file
from kvds_desktop.services.attendance.common import (
    CANDIDATE,
    GROUP,
    KIND,
    LESSON,
    MARK,
    MEMBERSHIP,
    person_name,
    person_sort_key,
)
from kvds_desktop.services.attendance.figures import figures_for_candidate
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.scheduling.common import active_on, transaction, write_audit
from kvds_desktop.store.database import Database

NT2_CATEGORIES = frozenset({ActivityCategory.LANGUAGE, ActivityCategory.KNM, ActivityCategory.ALFA})
ONA_CATEGORIES = frozenset({ActivityCategory.ONA_MAP})
DUO_CATEGORIES = NT2_CATEGORIES | ONA_CATEGORIES


@dataclass(frozen=True)
class DuoExport:
    """A written DUO file: where, how many rows, and the rows left out with their problem."""

    path: Path
    written: int
    problems: tuple[DuoRow, ...]


def month_bounds(month: tuple[int, int]) -> tuple[date, date]:
    """The first and last day of ``(year, month)``.

    Raises:
        UserError: not an existing month.
    """
    year, number = month
    if not 1 <= number <= 12 or not 2000 <= year <= 2100:
        raise UserError(N_("{month} is not a month; write it as 2026-11."),
                        month=f"{year}-{number:02d}")  # fmt: skip
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def _round(value: float) -> float:
    return round(value + 0.0, 2)


def _bsn(value: str | None) -> tuple[str, str]:
    normalised = bsn_rules.normalise(value) or ""
    if not normalised:
        return "", NO_BSN
    return normalised, "" if bsn_rules.is_valid(normalised) else BAD_BSN


def duo_contract_rows(db: Database, *, month: tuple[int, int], today: date) -> list[DuoRow]:
    """The DUO rows of ``month`` (year, month), sorted by name; see the module docstring.

    Raises:
        UserError: not an existing month, or a month that has not started on ``today``.
    """
    first, last = month_bounds(month)
    if first > today:
        raise UserError(N_("The month {month} has not started yet."),
                        month=f"{month[0]}-{month[1]:02d}")  # fmt: skip
    duo_lesson = and_(
        LESSON.c.lesson_date.between(first, last),
        LESSON.c.cancelled.is_(False),
        KIND.c.category.in_([c.value for c in DUO_CATEGORIES]),
    )
    wi2013 = and_(CANDIDATE.c.law == Law.WI2013.value, CANDIDATE.c.merged_into_id.is_(None))
    with db.engine.connect() as conn:
        by_membership = (
            select(MEMBERSHIP.c.candidate_id, MEMBERSHIP.c.id.label("membership_id"))
            .select_from(
                MEMBERSHIP.join(LESSON, and_(LESSON.c.group_id == MEMBERSHIP.c.group_id,
                                             active_on(MEMBERSHIP, LESSON.c.lesson_date)))
                .join(KIND, KIND.c.id == LESSON.c.activity_kind_id)
                .join(CANDIDATE, CANDIDATE.c.id == MEMBERSHIP.c.candidate_id)
            )
            .where(and_(duo_lesson, wi2013))
        )  # fmt: skip
        by_mark = (
            select(MARK.c.candidate_id, MEMBERSHIP.c.id.label("membership_id"))
            .select_from(
                MARK.join(LESSON, LESSON.c.id == MARK.c.lesson_id)
                .join(KIND, KIND.c.id == LESSON.c.activity_kind_id)
                .join(CANDIDATE, CANDIDATE.c.id == MARK.c.candidate_id)
                .outerjoin(MEMBERSHIP, and_(MEMBERSHIP.c.candidate_id == MARK.c.candidate_id,
                                            MEMBERSHIP.c.group_id == LESSON.c.group_id))
            )
            .where(and_(duo_lesson, wi2013))
        )  # fmt: skip
        pairs = union(by_membership, by_mark).subquery()
        spans: dict[int, list[tuple[date, date | None]]] = {}
        query = select(
            pairs.c.candidate_id, MEMBERSHIP.c.start_date, MEMBERSHIP.c.end_date,
            GROUP.c.end_date,
        ).select_from(
            pairs.outerjoin(MEMBERSHIP, MEMBERSHIP.c.id == pairs.c.membership_id)
            .outerjoin(GROUP, GROUP.c.id == MEMBERSHIP.c.group_id)
        )  # fmt: skip
        for cid, start, end, group_end in conn.execute(query):
            span = spans.setdefault(int(cid), [])
            if start is not None:
                span.append((start, end or group_end))
        people = conn.execute(
            select(CANDIDATE.c.id, CANDIDATE.c.uid, CANDIDATE.c.voornamen,
                   CANDIDATE.c.tussenvoegsel, CANDIDATE.c.achternaam, CANDIDATE.c.klantnummer,
                   CANDIDATE.c.bsn)
            .where(CANDIDATE.c.id.in_(list(spans)))
        ).all()  # fmt: skip
    rows: list[tuple[str, DuoRow]] = []
    for person in people:
        row = _row(db, person, spans[int(person.id)], first, last)
        if row is not None:
            key = person_sort_key(person.voornamen, person.tussenvoegsel, person.achternaam)
            rows.append((key, row))
    return [row for _key, row in sorted(rows, key=lambda pair: (pair[0], pair[1].candidate_uid))]


def _row(
    db: Database, person: Any, span: list[tuple[date, date | None]], first: date, last: date
) -> DuoRow | None:
    uid = str(person.uid)
    figures = figures_for_candidate(db, uid, first, last)
    offered = {cat: hours for cat, (hours, _f) in figures.by_category.items()}
    followed = {cat: hours for cat, (_o, hours) in figures.by_category.items()}
    bought = sum(offered.get(c.value, 0.0) for c in DUO_CATEGORIES)
    if bought <= 0:
        return None
    nt2 = sum(offered.get(c.value, 0.0) for c in NT2_CATEGORIES) > 0
    number, problem = _bsn(person.bsn)
    start = min((s for s, _e in span), default=first)
    ends = [e for _s, e in span]
    end = None if not ends or any(e is None for e in ends) else max(e for e in ends if e)
    return DuoRow(
        candidate_uid=uid,
        name=person_name(person.voornamen, person.tussenvoegsel, person.achternaam),
        klantnummer=str(person.klantnummer or ""),
        bsn=number,
        course_kind="NT2" if nt2 else "ONA",
        start_date=start,
        end_date=end,
        hours_bought=_round(bought),
        hours_attended=_round(sum(followed.get(c.value, 0.0) for c in DUO_CATEGORIES)),
        ona_hours=_round(sum(followed.get(c.value, 0.0) for c in ONA_CATEGORIES)),
        problem=problem,
    )  # fmt: skip


def export_duo(
    db: Database,
    *,
    rows: Sequence[DuoRow],
    month: tuple[int, int],
    bow: str,
    out_dir: Path,
    today: date,
    actor: Actor,
    now: datetime,
) -> DuoExport:
    """Write the DUO file (made on ``today``) and audit it: the file carries BSNs.

    Raises:
        UserError: the BOW number is not valid; the folder does not exist or the file
            cannot be written.
    """
    path = write_duo_file(rows, out_dir, bow, today)
    problems = tuple(problem_rows(rows))
    written = len(rows) - len(problems)
    with transaction(db) as conn:
        write_audit(conn, [audit_row(
            actor, "export.duo", "candidate", "",
            new={"file": path.name, "month": f"{month[0]}-{month[1]:02d}", "rows": written,
                 "problems": len(problems), "with_bsn": True},
            at=now,
        )])  # fmt: skip
    return DuoExport(path, written, problems)
