"""The pages of the main window: names, icons, what they are for and what they show.

Titles and texts are English message ids (marked with ``N_``) translated at display
time, so switching the language redraws every page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kvds_desktop.errors import N_
from kvds_desktop.i18n import Translator
from kvds_desktop.services.overview import Figures

FigureLines = Callable[[Figures, Translator], list[tuple[str, str]]]


@dataclass(frozen=True)
class PageSpec:
    """One page of the navigation."""

    key: str
    aliases: tuple[str, ...]
    title: str
    icon: str
    summary: str
    coming: tuple[str, ...]
    figures: FigureLines


def _candidates(f: Figures, tr: Translator) -> list[tuple[str, str]]:
    lines = [
        (tr._("Candidates in this database"), tr.number(f.candidates_total)),
        (tr._("Active candidates"), tr.number(f.candidates_active)),
    ]
    lines += [
        (tr._("Active at {location}").format(location=name), tr.number(n))
        for name, n in f.locations.items()
    ]
    return lines


def _groups(f: Figures, tr: Translator) -> list[tuple[str, str]]:
    return [
        (tr._("Groups running"), tr.number(f.groups_running)),
        (tr._("Weekly timetable slots"), tr.number(f.timetable_slots)),
        (tr._("Lessons this week"), tr.number(f.lessons_this_week)),
    ]


def _attendance(f: Figures, tr: Translator) -> list[tuple[str, str]]:
    return [
        (tr._("Attendance marks recorded"), tr.number(f.marks_total)),
        (tr._("Marks recorded this week"), tr.number(f.marks_this_week)),
        (tr._("Lessons this week"), tr.number(f.lessons_this_week)),
    ]


def _levels(f: Figures, tr: Translator) -> list[tuple[str, str]]:
    return [
        (tr._("Level assessments"), tr.number(f.assessments)),
        (tr._("Exam attempts"), tr.number(f.exam_attempts)),
    ]


def _work(f: Figures, tr: Translator) -> list[tuple[str, str]]:
    return [
        (tr._("Open opportunities"), tr.number(f.opportunities_open)),
        (tr._("Current placements"), tr.number(f.placements_current)),
        (tr._("Outflows in total"), tr.number(f.outflows_total)),
        (tr._("Outflows this year"), tr.number(f.outflows_this_year)),
    ]


def _reports(f: Figures, tr: Translator) -> list[tuple[str, str]]:
    share = f.outflows_total / f.candidates_total if f.candidates_total else 0.0
    return [
        (tr._("Candidates in this database"), tr.number(f.candidates_total)),
        (tr._("Outflows in total"), tr.number(f.outflows_total)),
        (tr._("Share flowed out"), tr.percent(share)),
    ]


def _exchange(f: Figures, tr: Translator) -> list[tuple[str, str]]:
    return [
        (tr._("Candidates in this database"), tr.number(f.candidates_total)),
        (tr._("Attendance marks recorded"), tr.number(f.marks_total)),
    ]


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "kandidaten",
        ("candidates",),
        N_("Candidates"),
        "candidates.svg",
        N_(
            "Every candidate's record under the integration law: person, intake, route, "
            "PIP versions and deadlines, work profile and notes."
        ),
        (
            N_("A list that sorts, filters and finds any part of a name, spelling variants too"),
            N_("Deadlines: PIP within 10 weeks, route switch window, end of the term"),
            N_("Import of candidate lists from the municipality (CSV, Excel) with a preview"),
            N_("Export for the klantmanager; the BSN only when asked for"),
        ),
        _candidates,
    ),
    PageSpec(
        "groepen",
        ("groups", "rooster", "timetable"),
        N_("Groups & timetable"),
        "groups.svg",
        N_(
            "Groups by level at Druten and Wijchen, their weekly timetable, lessons, "
            "holidays and closures."
        ),
        (
            N_("A week grid per group, teacher and room, edited with keyboard or mouse"),
            N_("Conflicts: a teacher, room or candidate in two places at once"),
            N_("Warnings for groups that are full or spread over too many levels"),
            N_("Calendars (ICS) per group, teacher and candidate"),
        ),
        _groups,
    ),
    PageSpec(
        "aanwezigheid",
        ("attendance",),
        N_("Attendance"),
        "attendance.svg",
        N_(
            "Attendance per lesson, entered with the keyboard and saved at once, with who "
            "recorded each mark and when."
        ),
        (
            N_("Today's lessons first; one key per status; undo"),
            N_("Hours offered and followed per activity, in person and online"),
            N_("Absence signals to the klantmanager by the rules of each municipality"),
            N_("Lessons not registered yet, per teacher"),
        ),
        _attendance,
    ),
    PageSpec(
        "niveaus",
        ("levels", "exams"),
        N_("Levels & exams"),
        "levels.svg",
        N_(
            "Language levels per skill over time, exam parts with attempts and exemptions, "
            "and progress on MAP, ONA and PVT."
        ),
        (
            N_("Progress per skill from Alfa A to B1 and beyond"),
            N_("Exam parts, attempts, vrijstelling and ontheffing"),
            N_("Forecasts: who is on course for the route's target level"),
        ),
        _levels,
    ),
    PageSpec(
        "werk",
        ("work", "outflow"),
        N_("Work & outflow"),
        "work.svg",
        N_(
            "Volunteer work, internships and paid jobs on the days without lessons, "
            "placements, outflow and the follow-up checks after it."
        ),
        (
            N_("Matching candidates to opportunities, with the reasons for each match"),
            N_("Placements and outflow with employer, hours and benefit after outflow"),
            N_("Follow-up at 1, 3, 6 and 12 months: did the outflow last?"),
        ),
        _work,
    ),
    PageSpec(
        "overzichten",
        ("reports", "overviews"),
        N_("Reports"),
        "reports.svg",
        N_(
            "Printed weekly group overviews that double as the attendance sheet, the "
            "management dashboard and reports for the municipality."
        ),
        (
            N_("Weekly overview per group with initials boxes and signature rows"),
            N_("A dashboard of intake, attendance, levels and outflow"),
            N_("A management report and the business case"),
        ),
        _reports,
    ),
    PageSpec(
        "uitwisseling",
        ("exchange",),
        N_("Exchange"),
        "exchange.svg",
        N_(
            "Files in and out: candidate lists from the client system, exports for the "
            "municipality and DUO, teachers' week packs and workbooks."
        ),
        (
            N_("Import with a preview of new, changed and rejected rows"),
            N_("Exports as CSV (semicolon, UTF-8) and Excel"),
            N_("Encrypted week packs for teachers who work offline"),
        ),
        _exchange,
    ),
)


def find_page(name: str) -> PageSpec | None:
    """The page called ``name`` (Dutch key or English alias), or None."""
    wanted = name.strip().lower()
    for spec in PAGES:
        if wanted == spec.key or wanted in spec.aliases:
            return spec
    return None
