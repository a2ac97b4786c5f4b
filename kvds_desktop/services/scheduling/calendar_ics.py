"""Calendars of a group, a teacher or a candidate as ICS files (RFC 5545).

One event per lesson. Its UID is the lesson's uid plus ``@kvds-desktop``, so importing
a newer file updates the events instead of adding them twice. SEQUENCE counts the
changes the audit trail holds for the lesson (cancelled, restored, moved, changed by a
new timetable): it only ever grows, and an unchanged lesson gives the very same event
text (for the same ``now``). Cancelled lessons are cancelled events with the reason in
the description. Times are local to Europe/Amsterdam, with the zone's rules included.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard
from sqlalchemy import and_, func, select

from kvds_desktop.errors import N_
from kvds_desktop.exchange.files import write_bytes
from kvds_desktop.i18n import Translator
from kvds_desktop.services.scheduling.common import AUDIT, check_period
from kvds_desktop.services.scheduling.lesson_rows import LessonRow, lessons_between
from kvds_desktop.store.database import Database

PRODID = "-//KVDS Desktop//kvds-desktop//NL"
TZID = "Europe/Amsterdam"
UID_SUFFIX = "@kvds-desktop"
CHANGES = ("lesson.cancel", "lesson.restore", "lesson.move", "lesson.regenerate")


def event_uid(lesson_uid: str) -> str:
    """The UID of a lesson's event."""
    return lesson_uid + UID_SUFFIX


def _sequences(db: Database, uids: list[str]) -> dict[str, int]:
    """How often each lesson was changed, from the audit trail."""
    counts: dict[str, int] = {}
    with db.engine.connect() as conn:
        for start in range(0, len(uids), 900):
            rows = conn.execute(
                select(AUDIT.c.record_uid, func.count())
                .where(
                    and_(
                        AUDIT.c.table_name == "lesson",
                        AUDIT.c.action.in_(CHANGES),
                        AUDIT.c.record_uid.in_(uids[start : start + 900]),
                    )
                )
                .group_by(AUDIT.c.record_uid)
            )
            counts.update({str(uid): int(count) for uid, count in rows})
    return counts


def _timezone() -> Timezone:
    """Europe/Amsterdam: CET, and CEST from the last Sunday of March to that of October."""
    zone = Timezone()
    zone.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("dtstart", datetime(1981, 3, 29, 2, 0))
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("tzname", "CEST")
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("dtstart", datetime(1996, 10, 27, 3, 0))
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("tzname", "CET")
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _event(row: LessonRow, sequence: int, stamp: datetime, tr: Translator) -> Event:
    zone = ZoneInfo(TZID)
    activity = row.activity_name_en if tr.language == "en" else row.activity_name_nl
    event = Event()
    event.add("uid", event_uid(row.uid))
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.combine(row.lesson_date, row.start, tzinfo=zone))
    event.add("dtend", datetime.combine(row.lesson_date, row.end, tzinfo=zone))
    event.add("summary", f"{activity or row.activity_code} – {row.group_name}")
    if row.online:
        event.add("location", tr.gettext(N_("online")))
    else:
        event.add("location", ", ".join(p for p in (row.location_name, row.room_name) if p))
    lines = []
    if row.teacher_name:
        lines.append(tr.gettext(N_("Teacher: {name}")).format(name=row.teacher_name))
    if row.cancelled:
        lines.append(tr.gettext(N_("Cancelled: {reason}")).format(reason=row.cancel_reason))
    if lines:
        event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if row.cancelled else "CONFIRMED")
    event.add("sequence", sequence)
    return event


def calendar_ics(
    db: Database,
    *,
    group_uid: str | None = None,
    teacher_id: int | None = None,
    candidate_uid: str | None = None,
    start: date,
    end: date,
    now: datetime,
    language: str = "nl",
    name: str = "",
) -> bytes:
    """The lessons from ``start`` to ``end`` of a group, a teacher or a candidate as ICS.

    Args:
        group_uid, teacher_id, candidate_uid: whose lessons (filters combine; none:
            every lesson).
        now: the moment of the export, written as DTSTAMP (timezone-aware).
        language: "nl" or "en", for activity names and the description.
        name: the calendar's name in calendar clients (X-WR-CALNAME), if given.

    Raises:
        UserError: the period is wrong.
        ValueError: ``now`` has no timezone.
    """
    check_period(start, end)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    rows = lessons_between(
        db, start, end, group_uid=group_uid, teacher_id=teacher_id, candidate_uid=candidate_uid
    )
    return ics_from_rows(rows, _sequences(db, [r.uid for r in rows]), now, language, name)


def ics_from_rows(
    rows: Iterable[LessonRow],
    sequences: dict[str, int],
    now: datetime,
    language: str = "nl",
    name: str = "",
) -> bytes:
    """The ICS text of lesson rows (sorted by date, time and uid for a stable file)."""
    tr = Translator.for_language(language)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_timezone())
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for row in sorted(rows, key=lambda r: (r.lesson_date, r.start, r.uid)):
        calendar.add_component(_event(row, sequences.get(row.uid, 0), stamp, tr))
    return bytes(calendar.to_ical())


def write_calendar(path: Path, data: bytes) -> None:
    """Write an ICS file atomically: a temporary file in the same folder, then a rename.

    Raises:
        UserError: the path is a folder, its folder does not exist, or writing failed.
    """
    write_bytes(Path(path), data)
