"""Attendance: statuses, the lesson register, figures, signal rules and the daily check.

Everything the Aanwezigheid page, Settings and the ``kvds attendance`` commands need.
Rows handed out are plain frozen dataclasses; every mark is written at once in its own
transaction and audited. The submodules can be imported by name; the package
re-exports their public names.
"""

from kvds_desktop.services.attendance.common import REASONS, MarkRow
from kvds_desktop.services.attendance.figures import (
    Z_ROUTE_LANGUAGE_CATEGORIES,
    Z_ROUTE_PARTICIPATION_CATEGORIES,
    AttendanceFigures,
    figures_for_candidate,
    figures_for_group,
)
from kvds_desktop.services.attendance.register import (
    HistoryRow,
    LessonHeader,
    MarkChange,
    RegisterRow,
    clear_mark,
    mark_history,
    mark_rest_present,
    open_register,
    set_mark,
)
from kvds_desktop.services.attendance.reports import export_signals_per_klantmanager
from kvds_desktop.services.attendance.signals import (
    KINDS,
    RuleRow,
    SignalRow,
    ensure_default_rules,
    find_signals,
    list_rules,
    mark_signal_sent,
    save_rule,
)
from kvds_desktop.services.attendance.statuses import (
    DEFAULT_STATUSES,
    StatusRow,
    ensure_default_statuses,
    list_statuses,
    save_status,
)
from kvds_desktop.services.attendance.worklist import (
    UnregisteredRow,
    lessons_for_day,
    unregistered_lessons,
)

__all__ = [
    "DEFAULT_STATUSES",
    "KINDS",
    "REASONS",
    "Z_ROUTE_LANGUAGE_CATEGORIES",
    "Z_ROUTE_PARTICIPATION_CATEGORIES",
    "AttendanceFigures",
    "HistoryRow",
    "LessonHeader",
    "MarkChange",
    "MarkRow",
    "RegisterRow",
    "RuleRow",
    "SignalRow",
    "StatusRow",
    "UnregisteredRow",
    "clear_mark",
    "ensure_default_rules",
    "ensure_default_statuses",
    "export_signals_per_klantmanager",
    "figures_for_candidate",
    "figures_for_group",
    "find_signals",
    "lessons_for_day",
    "list_rules",
    "list_statuses",
    "mark_history",
    "mark_rest_present",
    "mark_signal_sent",
    "open_register",
    "save_rule",
    "save_status",
    "set_mark",
    "unregistered_lessons",
]
