"""Groups and timetable: closures, weekly slots, lessons, conflicts, free days, calendars.

Everything the Groepen & rooster page and the ``kvds`` scheduling commands need. Rows
handed out are plain frozen dataclasses; every change is validated, written in one
transaction and audited. The submodules (closures, lessons, timetable, conflicts,
groups, free_days, calendar_ics) can be imported by name; the package re-exports their
public functions, except ``calendar_ics.calendar_ics``, whose name is the module's.
"""

# The module calendar_ics keeps its name here (its function is calendar_ics.calendar_ics).
from kvds_desktop.services.scheduling.calendar_ics import event_uid, write_calendar
from kvds_desktop.services.scheduling.closures import (
    ClosureImportReport,
    ClosureRow,
    add_closure,
    delete_closure,
    ensure_public_holidays,
    import_closures_csv,
    list_closures,
    public_holidays,
)
from kvds_desktop.services.scheduling.common import iso_week_dates, parse_iso_week
from kvds_desktop.services.scheduling.conflicts import Conflict, ConflictKind, find_conflicts
from kvds_desktop.services.scheduling.free_days import days_without_lessons
from kvds_desktop.services.scheduling.groups import (
    DEFAULT_MAX_SPREAD,
    GroupRow,
    MemberRow,
    MembershipResult,
    add_member,
    end_member,
    group_members,
    group_rows,
    move_member,
    save_group,
)
from kvds_desktop.services.scheduling.lessons import (
    GenerationReport,
    LessonRow,
    add_lesson,
    cancel_lesson,
    generate_lessons,
    lessons_between,
    lessons_for_group_week,
    move_lesson,
    restore_lesson,
)
from kvds_desktop.services.scheduling.lookup import find_group, find_teacher
from kvds_desktop.services.scheduling.timetable import (
    SlotRow,
    delete_slot,
    list_slots,
    save_slot,
    slot_conflicts_preview,
)

__all__ = [
    "DEFAULT_MAX_SPREAD",
    "ClosureImportReport",
    "ClosureRow",
    "Conflict",
    "ConflictKind",
    "GenerationReport",
    "GroupRow",
    "LessonRow",
    "MemberRow",
    "MembershipResult",
    "SlotRow",
    "add_closure",
    "add_lesson",
    "add_member",
    "cancel_lesson",
    "days_without_lessons",
    "delete_closure",
    "delete_slot",
    "end_member",
    "ensure_public_holidays",
    "event_uid",
    "find_conflicts",
    "find_group",
    "find_teacher",
    "generate_lessons",
    "group_members",
    "group_rows",
    "import_closures_csv",
    "iso_week_dates",
    "lessons_between",
    "lessons_for_group_week",
    "list_closures",
    "list_slots",
    "move_lesson",
    "move_member",
    "parse_iso_week",
    "public_holidays",
    "restore_lesson",
    "save_group",
    "save_slot",
    "slot_conflicts_preview",
    "write_calendar",
]
