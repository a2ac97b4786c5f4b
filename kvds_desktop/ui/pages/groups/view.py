"""The Groepen & rooster page's layout (see controller.py for what it does)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.ui.pages.groups.week_grid import WeekGrid
from kvds_desktop.ui.widgets import table


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class GroupsPage(QWidget):
    """Groups on the left; the chosen group's week, lessons and members on the right;
    conflicts and closures in their own tabs."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("groupsPage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        top.addWidget(self.title)
        top.addStretch(1)
        self.view_label = QLabel()
        self.view_mode = QComboBox()
        self.view_mode.setObjectName("viewMode")
        self.view_target = QComboBox()
        self.view_target.setObjectName("viewTarget")
        self.view_target.setMinimumContentsLength(22)
        self.previous_week = QPushButton("◀")
        self.previous_week.setFixedWidth(36)
        self.week_label = QLabel()
        self.week_label.setObjectName("weekLabel")
        self.next_week = QPushButton("▶")
        self.next_week.setFixedWidth(36)
        self.this_week = QPushButton()
        self.print_button = QToolButton()
        self.print_button.setObjectName("printButton")
        for widget in (
            self.view_label,
            self.view_mode,
            self.view_target,
            self.previous_week,
            self.week_label,
            self.next_week,
            self.this_week,
            self.print_button,
        ):
            top.addWidget(widget)
        outer.addLayout(top)

        self.tabs = QTabWidget()
        week = QWidget()
        week_layout = QVBoxLayout(week)
        week_layout.setContentsMargins(0, 6, 0, 0)
        self.splitter = QSplitter()
        self.splitter.setObjectName("groupsSplitter")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.location = QComboBox()
        left_layout.addWidget(self.location)
        self.groups = table(5, "groupTable")
        left_layout.addWidget(self.groups, 1)
        self.new_group = QPushButton()
        self.edit_group = QPushButton()
        left_layout.addLayout(_buttons(self.new_group, self.edit_group))
        self.group_warnings = QLabel()
        self.group_warnings.setObjectName("banner")
        self.group_warnings.setWordWrap(True)
        left_layout.addWidget(self.group_warnings)
        self.splitter.addWidget(left)

        right = QTabWidget()
        self.right_tabs = right
        grid_page = QWidget()
        grid_layout = QVBoxLayout(grid_page)
        grid_layout.setContentsMargins(0, 4, 0, 0)
        self.grid = WeekGrid()
        grid_layout.addWidget(self.grid, 1)
        self.add_slot = QPushButton()
        self.edit_slot = QPushButton()
        self.remove_slot = QPushButton()
        self.cancel_lesson = QPushButton()
        self.move_lesson = QPushButton()
        self.add_lesson = QPushButton()
        grid_layout.addLayout(_buttons(self.add_slot, self.edit_slot, self.remove_slot))
        grid_layout.addLayout(_buttons(self.cancel_lesson, self.move_lesson, self.add_lesson))
        right.addTab(grid_page, "")
        members_page = QWidget()
        members_layout = QVBoxLayout(members_page)
        members_layout.setContentsMargins(0, 4, 0, 0)
        self.members = table(3, "memberTable")
        members_layout.addWidget(self.members, 1)
        self.add_member = QPushButton()
        self.move_member = QPushButton()
        self.end_member = QPushButton()
        members_layout.addLayout(_buttons(self.add_member, self.move_member, self.end_member))
        right.addTab(members_page, "")
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([400, 760])
        week_layout.addWidget(self.splitter)
        self.tabs.addTab(week, "")

        conflicts = QWidget()
        conflicts_layout = QVBoxLayout(conflicts)
        conflicts_layout.setContentsMargins(0, 6, 0, 0)
        self.conflict_hint = QLabel()
        self.conflict_hint.setWordWrap(True)
        conflicts_layout.addWidget(self.conflict_hint)
        self.conflicts = table(4, "conflictList")
        conflicts_layout.addWidget(self.conflicts, 1)
        self.tabs.addTab(conflicts, "")

        closures = QWidget()
        closures_layout = QVBoxLayout(closures)
        closures_layout.setContentsMargins(0, 6, 0, 0)
        self.closures = table(4, "closureTable")
        closures_layout.addWidget(self.closures, 1)
        self.add_holidays = QPushButton()
        self.import_closures = QPushButton()
        self.add_closure = QPushButton()
        self.remove_closure = QPushButton()
        self.export_calendar = QPushButton()
        closures_layout.addLayout(
            _buttons(self.add_holidays, self.import_closures, self.add_closure, self.remove_closure)
        )
        self.tabs.addTab(closures, "")
        outer.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.export_calendar)
        outer.addLayout(bottom)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.title.setText(tr._("Groups & timetable"))
        self.view_label.setText(tr._("Show"))
        self.this_week.setText(tr._("This week"))
        self.previous_week.setToolTip(tr._("Previous week (Alt+Left)"))
        self.next_week.setToolTip(tr._("Next week (Alt+Right)"))
        self.tabs.setTabText(0, tr._("Groups and week"))
        self.tabs.setTabText(1, tr._("Conflicts"))
        self.tabs.setTabText(2, tr._("Closures"))
        self.right_tabs.setTabText(0, tr._("Week"))
        self.right_tabs.setTabText(1, tr._("Members"))
        self.groups.setHorizontalHeaderLabels(
            [tr._("Group"), tr._("Location"), tr._("Level"), tr._("Members"), tr._("Warnings")]
        )
        self.members.setHorizontalHeaderLabels([tr._("Name"), tr._("Since"), tr._("Until")])
        self.conflicts.setHorizontalHeaderLabels(
            [tr._("Date"), tr._("Kind"), tr._("What"), tr._("Lessons")]
        )
        self.closures.setHorizontalHeaderLabels(
            [tr._("From"), tr._("To"), tr._("Name"), tr._("Location")]
        )
        self.new_group.setText(tr._("New group…"))
        self.edit_group.setText(tr._("Edit the group…"))
        self.add_slot.setText(tr._("Add a weekly slot…"))
        self.edit_slot.setText(tr._("Change the slot…"))
        self.remove_slot.setText(tr._("Remove the slot…"))
        self.cancel_lesson.setText(tr._("Cancel this lesson…"))
        self.move_lesson.setText(tr._("Move this lesson…"))
        self.add_lesson.setText(tr._("Add a single lesson…"))
        self.add_member.setText(tr._("Add a member…"))
        self.move_member.setText(tr._("Move to another group…"))
        self.end_member.setText(tr._("End the membership…"))
        self.conflict_hint.setText(
            tr._(
                "Conflicts in the coming eight weeks: a teacher, room or candidate in two lessons "
                "at once, a teacher at both locations without travel time, a lesson on a closure "
                "day, a teacher outside their hours."
            )
        )
        self.add_holidays.setText(tr._("Add public holidays"))
        self.import_closures.setText(tr._("Import closures (CSV)…"))
        self.add_closure.setText(tr._("Add a closure…"))
        self.remove_closure.setText(tr._("Remove the closure"))
        self.export_calendar.setText(tr._("Calendar (ICS) of this week's view…"))
