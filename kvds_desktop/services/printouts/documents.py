"""The printouts: weekly group overviews, location overviews and candidates' schedules.

Each function reads the database, builds the plain model of :mod:`kvds_desktop.reports`
and returns the PDF as bytes; :func:`kvds_desktop.services.printouts.write_pdf` puts it
in a file. A group overview carries a version that goes up only when its content
changed since it was last printed (kept in the audit trail, see
:mod:`kvds_desktop.services.printouts.versions`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from kvds_desktop.errors import N_, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.candidate_schedule import candidate_schedule_pdf as draw_schedule
from kvds_desktop.reports.location_overview import location_overview_pdf as draw_location
from kvds_desktop.reports.model import GroupWeek, LocationWeek, Stamp
from kvds_desktop.reports.weekly_overview import weekly_overviews_pdf
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.printouts.candidate import candidate_week
from kvds_desktop.services.printouts.gather import (
    GroupHead,
    all_heads,
    find_location,
    group_head,
    group_weeks,
    list_closures_at,
    week_dates,
)
from kvds_desktop.services.printouts.versions import stamp_versions
from kvds_desktop.store.database import Database

Progress = Callable[[int, int], bool]
BATCH = 40  # groups read and versioned at once when printing them all


class Cancelled(Exception):
    """The person cancelled a long print job; nothing was produced.

    Not a :class:`UserError`: there is nothing to tell or fix. The versions already
    recorded for the groups read before the cancel (a batch of up to 40) stay recorded:
    a number is tied to content, not to a finished print, so the next print of the
    same content shows the same number.
    """


def _week_key(week: tuple[int, int]) -> str:
    return f"{week[0]}-W{week[1]:02d}"


def week_overview_pdf(
    db: Database,
    *,
    group_uid: str,
    week: tuple[int, int],
    tr: Translator,
    now: datetime,
    actor: Actor | None = None,
) -> bytes:
    """The weekly overview and attendance list of one group, as a PDF.

    Args:
        db: the open database.
        group_uid: the group's uid (``find_group`` turns a name into one).
        week: ``(iso_year, iso_week)``, e.g. ``parse_iso_week("2026-W49")``.
        tr: the language of the printout.
        now: the moment of printing: the "printed on" date and the audit time.
        actor: who prints (default: the logged-in user); recorded with a new version.

    Raises:
        UserError: the week or the group does not exist.
        StorageError: the new version cannot be recorded (database locked, read-only ...).
    """
    week_dates(week)
    weeks = group_weeks(db, [group_head(db, group_uid)], week)
    versions = stamp_versions(db, weeks, actor=actor or Actor.current(), now=now)
    stamped = [(w, Stamp(now.date(), versions[w.group_uid])) for w in weeks]
    return weekly_overviews_pdf(stamped, tr, title=f"{weeks[0].group_name} {_week_key(week)}")


def location_overview_pdf(
    db: Database,
    *,
    location: str,
    week: tuple[int, int],
    tr: Translator,
    now: datetime,
) -> bytes:
    """Every group of one location in one week on as few pages as stay readable.

    Args:
        db: the open database.
        location: the location's name (any case) or uid.
        week: ``(iso_year, iso_week)``.
        tr: the language of the printout.
        now: the moment of printing.

    Raises:
        UserError: the week or the location does not exist.
    """
    days = week_dates(week)
    location_id, name = find_location(db, location)
    weeks = group_weeks(db, all_heads(db, days, location_id), week)
    model = LocationWeek(
        location=name,
        iso_year=week[0],
        iso_week=week[1],
        days=tuple(days),
        groups=tuple(weeks),
        closures=list_closures_at(db, days, location_id),
    )
    return draw_location(model, Stamp(now.date()), tr)


def _batches(heads: Sequence[GroupHead], size: int) -> Iterator[Sequence[GroupHead]]:
    for start in range(0, len(heads), size):
        yield heads[start : start + size]


def all_groups_pdf(
    db: Database,
    *,
    week: tuple[int, int],
    tr: Translator,
    now: datetime,
    progress: Progress | None = None,
    location: str | None = None,
    actor: Actor | None = None,
) -> bytes:
    """The weekly overview of every group that runs in the week, in one PDF.

    Groups come by location and name; each keeps its own "page x of y" and version.

    Args:
        db: the open database.
        week: ``(iso_year, iso_week)``.
        tr: the language of the printout.
        now: the moment of printing.
        progress: called as ``progress(done, total)`` before each group and once at the
            end; returning False cancels the job.
        location: only the groups of this location (name or uid).
        actor: who prints (default: the logged-in user).

    Raises:
        Cancelled: ``progress`` returned False; no PDF is made.
        UserError: the week or the location does not exist, or no group runs in the week.
        StorageError: the versions cannot be recorded.
    """
    days = week_dates(week)
    location_id = find_location(db, location)[0] if location else None
    heads = all_heads(db, days, location_id)
    if not heads:
        raise UserError(N_("No group runs in week {week}."), week=_week_key(week))
    who = actor or Actor.current()

    def stamped() -> Iterator[tuple[GroupWeek, Stamp]]:
        done = 0
        for batch in _batches(heads, BATCH):
            weeks = group_weeks(db, batch, week)
            versions = stamp_versions(db, weeks, actor=who, now=now)
            for item in weeks:
                if progress is not None and not progress(done, len(heads)):
                    raise Cancelled
                yield item, Stamp(now.date(), versions[item.group_uid])
                done += 1
        if progress is not None and not progress(done, len(heads)):
            raise Cancelled

    return weekly_overviews_pdf(stamped(), tr, title=_week_key(week))


def candidate_schedule_pdf(
    db: Database,
    *,
    candidate_uid: str,
    week: tuple[int, int],
    tr: Translator,
    now: datetime,
) -> bytes:
    """A candidate's lessons and placements in one week on one A4 page (portrait).

    Args:
        db: the open database.
        candidate_uid: the candidate's uid (``find_candidate`` resolves a client number).
        week: ``(iso_year, iso_week)``.
        tr: the language of the printout.
        now: the moment of printing.

    Raises:
        UserError: the week or the candidate does not exist.
    """
    return draw_schedule(candidate_week(db, candidate_uid, week), Stamp(now.date()), tr)
