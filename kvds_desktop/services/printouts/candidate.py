"""Reading a candidate's week: lessons of their groups, placements, closures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select

from kvds_desktop.errors import N_, UserError
from kvds_desktop.reports.model import CandidateWeek, ClosureItem, PlacementItem, ScheduleLesson
from kvds_desktop.services.attendance.common import person_name
from kvds_desktop.services.printouts.gather import lesson_item, week_dates
from kvds_desktop.services.scheduling import lessons_between, list_closures
from kvds_desktop.services.scheduling.common import CANDIDATE, LOCATION, TABLES
from kvds_desktop.services.scheduling.common import parse_days as weekdays_of
from kvds_desktop.store.database import Database

PLACEMENT = TABLES["placement"]
ORGANISATION = TABLES["organisation"]


def _address(street: str | None, city: str | None) -> str:
    return ", ".join(part for part in ((street or "").strip(), (city or "").strip()) if part)


def candidate_week(db: Database, candidate_uid: str, week: tuple[int, int]) -> CandidateWeek:
    """What a candidate's printed weekly schedule shows.

    Raises:
        UserError: the week does not exist, or the candidate does not (or was merged).
    """
    days = week_dates(week)
    with db.engine.connect() as conn:
        person = conn.execute(
            select(
                CANDIDATE.c.id, CANDIDATE.c.voornamen, CANDIDATE.c.tussenvoegsel,
                CANDIDATE.c.achternaam, CANDIDATE.c.klantnummer, CANDIDATE.c.location_id,
            ).where(and_(CANDIDATE.c.uid == candidate_uid, CANDIDATE.c.merged_into_id.is_(None)))
        ).first()  # fmt: skip
        if person is None:
            raise UserError(N_("This candidate no longer exists; refresh the list."))
        locations = {
            r[1]: (r[0], _address(r[2], r[3]))
            for r in conn.execute(
                select(LOCATION.c.id, LOCATION.c.name, LOCATION.c.address, LOCATION.c.city)
            )
        }
        placements = conn.execute(
            select(
                PLACEMENT.c.kind, ORGANISATION.c.name, ORGANISATION.c.address,
                ORGANISATION.c.city, PLACEMENT.c.days, PLACEMENT.c.hours_per_week,
                PLACEMENT.c.start_date, PLACEMENT.c.end_date,
            )
            .select_from(
                PLACEMENT.join(ORGANISATION, ORGANISATION.c.id == PLACEMENT.c.organisation_id)
            )
            .where(PLACEMENT.c.candidate_id == person[0])
            .where(PLACEMENT.c.start_date <= days[-1])
            .where(or_(PLACEMENT.c.end_date.is_(None), PLACEMENT.c.end_date >= days[0]))
            .order_by(PLACEMENT.c.start_date, ORGANISATION.c.name)
        ).all()  # fmt: skip
    rows = lessons_between(db, days[0], days[-1], candidate_uid=candidate_uid)
    lessons = tuple(
        ScheduleLesson(
            lesson=lesson_item(row, None),
            group_name=row.group_name,
            location=row.location_name,
            address=locations.get(row.location_name, (0, ""))[1],
        )
        for row in rows
    )
    places = {locations[row.location_name][0] for row in rows if row.location_name in locations}
    if person[5] is not None:
        places.add(person[5])
    closures = tuple(
        ClosureItem(c.date_from, c.date_to, c.name)
        for c in list_closures(db, days[0], days[-1])
        if c.location_id is None or c.location_id in places
    )
    return CandidateWeek(
        candidate_uid=candidate_uid,
        name=person_name(person[1], person[2], person[3]),
        short_id=person[4] or candidate_uid[:8],
        iso_year=week[0],
        iso_week=week[1],
        days=tuple(days),
        lessons=lessons,
        placements=tuple(_placement(p) for p in placements),
        closures=closures,
    )


def _placement(row: Any) -> PlacementItem:
    kind, name, street, city, weekdays, hours, start, end = row
    return PlacementItem(
        kind=kind,
        organisation=name,
        address=_address(street, city),
        weekdays=tuple(sorted(weekdays_of(weekdays or ""))),
        hours_per_week=hours,
        start=start,
        end=end,
    )
