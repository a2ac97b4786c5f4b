"""Days without lessons per candidate: where volunteer work or an internship fits.

Derived from the groups a candidate belongs to on each day: a weekday is free when
none of those groups has a lesson that is given (not cancelled, not on a closure day
of the group's location).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    GROUP,
    LESSON,
    MEMBERSHIP,
    active_on,
    iso_week_dates,
    load_closed_days,
)
from kvds_desktop.store.database import Database


def days_without_lessons(
    db: Database, candidate_uid: str, iso_year: int, iso_week: int
) -> list[date]:
    """Monday to Friday of an ISO week on which the candidate has no lesson.

    Raises:
        UserError: the candidate does not exist, or the week does not exist.
    """
    weekdays = iso_week_dates(iso_year, iso_week)[:5]
    with db.engine.connect() as conn:
        candidate_id = conn.execute(
            select(CANDIDATE.c.id).where(CANDIDATE.c.uid == candidate_uid)
        ).scalar()
        if candidate_id is None:
            raise UserError(N_("This candidate no longer exists; refresh the list."))
        rows = conn.execute(
            select(LESSON.c.lesson_date, GROUP.c.location_id)
            .select_from(
                LESSON.join(GROUP, GROUP.c.id == LESSON.c.group_id).join(
                    MEMBERSHIP, MEMBERSHIP.c.group_id == LESSON.c.group_id
                )
            )
            .where(
                and_(
                    MEMBERSHIP.c.candidate_id == candidate_id,
                    active_on(MEMBERSHIP, LESSON.c.lesson_date),
                    LESSON.c.cancelled.is_(False),
                    LESSON.c.lesson_date.between(weekdays[0], weekdays[-1]),
                )
            )
            .distinct()
        ).all()
        closed = load_closed_days(conn, weekdays[0], weekdays[-1])
    busy = {day for day, location_id in rows if not closed.is_closed(location_id, day)}
    return [day for day in weekdays if day not in busy]
