"""A week grid: weekdays across, time down, one block per lesson.

Cancelled lessons are struck through with their reason; closure days are greyed
with their name; days without lessons are marked. Layout and drawing only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from kvds_desktop.i18n import Translator

DAY_START = time(8, 30)
DAY_END = time(17, 30)
STEP_MINUTES = 30
UID_ROLE = Qt.ItemDataRole.UserRole + 10
KIND_COLOURS = {
    "taal": "#dbe9f6",
    "knm": "#e4f2dd",
    "ona_map": "#fbe8cf",
    "pvt": "#efe0f5",
    "alfa": "#fde2e2",
    "training": "#fff2c6",
    "participatie": "#dff3f1",
}
CLOSED = QColor("#ececec")
NO_LESSONS = QColor("#f7f9fb")


class Block(Protocol):
    """What the grid needs of a lesson (LessonRow from the scheduling service fits)."""

    uid: str
    lesson_date: date
    start: time
    end: time
    cancelled: bool
    cancel_reason: str


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _row(moment: time) -> int:
    return max(0, (_minutes(moment) - _minutes(DAY_START)) // STEP_MINUTES)


class WeekGrid(QTableWidget):
    """Monday to Friday across, half hours from 08:00 to 18:00 down."""

    lesson_activated = Signal(str)  # lesson uid, on double click or Enter

    def __init__(self) -> None:
        rows = (_minutes(DAY_END) - _minutes(DAY_START)) // STEP_MINUTES
        super().__init__(rows, 5)
        self.setObjectName("weekGrid")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(30)
        self.setWordWrap(True)
        labels = []
        for row in range(rows):
            minutes = _minutes(DAY_START) + row * STEP_MINUTES
            labels.append(f"{minutes // 60:02d}:{minutes % 60:02d}")
        self.setVerticalHeaderLabels(labels)
        self.itemDoubleClicked.connect(self._activate)
        self.monday: date | None = None

    def _activate(self, item: QTableWidgetItem) -> None:
        uid = item.data(UID_ROLE)
        if uid:
            self.lesson_activated.emit(str(uid))

    def keyPressEvent(self, event: Any) -> None:
        """Enter opens the lesson under the cursor, as a double click does."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            if item is not None:
                self._activate(item)
                return
        super().keyPressEvent(event)

    def current_lesson(self) -> str | None:
        """The uid of the selected lesson, if a lesson is selected."""
        item = self.currentItem()
        uid = item.data(UID_ROLE) if item is not None else None
        return str(uid) if uid else None

    def show_week(
        self,
        monday: date,
        lessons: Sequence[Any],
        closures: dict[date, str],
        text: Any,
        tr: Translator,
    ) -> None:
        """Draw ``lessons`` (each drawn with ``text(lesson)``) in the week of ``monday``."""
        self.monday = monday
        self.clearSpans()
        self.clearContents()
        days = [monday + timedelta(days=i) for i in range(5)]
        self.setHorizontalHeaderLabels([_first_upper(tr.date(day, "EEEE d MMM")) for day in days])
        busy = {lesson.lesson_date for lesson in lessons if not lesson.cancelled}
        for column, day in enumerate(days):
            if day in closures:
                self._fill_day(column, CLOSED, tr._("Closed: {name}").format(name=closures[day]))
            elif day not in busy:
                self._fill_day(column, NO_LESSONS, tr._("No lessons"))
        taken: set[tuple[int, int]] = set()
        for lesson in sorted(lessons, key=lambda item: (item.lesson_date, item.start)):
            column = (lesson.lesson_date - monday).days
            if not 0 <= column < 5:
                continue
            top = _row(lesson.start)
            height = max(1, _row(lesson.end) - top)
            if any((r, column) in taken for r in range(top, top + height)):
                top, height = self._free_below(column, top, taken)
            item = QTableWidgetItem(text(lesson))
            item.setData(UID_ROLE, lesson.uid)
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            colour = KIND_COLOURS.get(getattr(lesson, "activity_category", ""), "#dbe9f6")
            item.setBackground(QBrush(QColor(colour)))
            if lesson.cancelled:
                font = QFont()
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(QBrush(QColor("#7a7a7a")))
                item.setToolTip(tr._("Cancelled: {reason}").format(reason=lesson.cancel_reason))
            else:
                item.setToolTip(text(lesson))
            self.setItem(top, column, item)
            if height > 1:
                self.setSpan(top, column, height, 1)
            taken.update((r, column) for r in range(top, top + height))

    def _free_below(self, column: int, top: int, taken: set[tuple[int, int]]) -> tuple[int, int]:
        row = top
        while (row, column) in taken and row < self.rowCount() - 1:
            row += 1
        return row, 1

    def _fill_day(self, column: int, colour: QColor, label: str) -> None:
        for row in range(self.rowCount()):
            item = QTableWidgetItem(label if row == 0 else "")
            item.setBackground(QBrush(colour))
            item.setForeground(QBrush(QColor("#6b6b6b")))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, column, item)
