"""Entering levels for a whole group: one row per member, one column per skill.

Typed as people write levels (a2, B1, alfa b, Alfa C); an empty cell means nothing was
measured. The dialog checks every cell before anything is saved and stays open with the
wrong cells marked, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.domain import labels
from kvds_desktop.domain.dates import parse_date
from kvds_desktop.domain.enums import AssessmentMethod, Level
from kvds_desktop.domain.progress import EXAM_SKILLS
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.ui.forms import DateField, choice_box, date_text

Submit = Callable[[date, str, str, list[tuple[str, str, str]]], int]
WRONG = QColor("#fecaca")


def read_level(text: str) -> str | None:
    """The level code of what was typed ('' -> None); ValueError when it is no level."""
    typed = " ".join(text.replace("_", " ").split()).casefold()
    if not typed:
        return None
    for level in Level:
        names = {level.value.replace("_", " "), labels.LEVEL[level].casefold()}
        if typed in names:
            return level.value
    raise ValueError(text)


class LevelEntryDialog(QDialog):
    """The grid; ``submit`` saves the entries and returns how many were saved."""

    def __init__(
        self,
        tr: Translator,
        members: Sequence[tuple[str, str]],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.members = list(members)
        self.submit: Submit | None = None
        self.saved = 0
        self.setWindowTitle(tr._("Enter levels for the group"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.day = DateField(today)
        self.day.setText(date_text(today))
        self.instrument = choice_box(
            [(m.value, labels.label(labels.METHOD, m.value)) for m in AssessmentMethod],
            AssessmentMethod.PROGRESS_TEST.value,
            tr,
        )
        self.assessor = QLineEdit()
        form.addRow(tr._("Date"), self.day)
        form.addRow(tr._("How"), self.instrument)
        form.addRow(tr._("By"), self.assessor)
        layout.addLayout(form)
        hint = QLabel(
            tr._(
                "Type a level per skill (Alfa A, Alfa B, Alfa C, A1, A2, B1, B2, C1); leave a "
                "cell empty when that skill was not measured. Tab and the arrow keys move."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.grid = QTableWidget(len(self.members), len(EXAM_SKILLS))
        self.grid.setObjectName("levelGrid")
        self.grid.setHorizontalHeaderLabels(
            [tr._(labels.label(labels.SKILL, s)) for s in EXAM_SKILLS]
        )
        self.grid.setVerticalHeaderLabels([name for _uid, name in self.members])
        self.grid.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        for row in range(len(self.members)):
            for column in range(len(EXAM_SKILLS)):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.grid.setItem(row, column, item)
        layout.addWidget(self.grid, 1)
        self.errors = QLabel()
        self.errors.setObjectName("banner")
        self.errors.setWordWrap(True)
        self.errors.setVisible(False)
        layout.addWidget(self.errors)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def set_cell(self, row: int, column: int, text: str) -> None:
        """Type ``text`` into a cell (the keyboard's path, for tests and scripts)."""
        item = self.grid.item(row, column)
        assert item is not None
        item.setText(text)

    def entries(self) -> list[tuple[str, str, str]]:
        """(candidate uid, skill, level) of every filled cell; ValueError lists bad cells."""
        found, bad = [], []
        for row, (uid, _name) in enumerate(self.members):
            for column, skill in enumerate(EXAM_SKILLS):
                item = self.grid.item(row, column)
                if item is None:
                    continue
                item.setBackground(QColor(Qt.GlobalColor.transparent))
                try:
                    level = read_level(item.text())
                except ValueError:
                    item.setBackground(WRONG)
                    bad.append(item.text())
                    continue
                if level is not None:
                    found.append((uid, skill.value, level))
        if bad:
            raise ValueError(bad)
        return found

    def try_save(self) -> None:
        """Check every cell, save, and close; stay open with a message on a mistake."""
        tr = self.tr_
        self.errors.setVisible(False)
        try:
            day = parse_date(self.day.text())
        except ValueError:
            day = None
        if day is None:
            self._error(tr._("Not a date (use dd-mm-jjjj)."))
            return
        try:
            entries = self.entries()
        except ValueError as exc:
            self._error(
                tr._(
                    "Not a level: {values}. Use Alfa A, Alfa B, Alfa C, A1, A2, B1, B2 or C1."
                ).format(values=", ".join(repr(v) for v in exc.args[0]))
            )
            return
        if not entries:
            self._error(tr._("No level was typed."))
            return
        try:
            self.saved = self.submit(day, self.instrument.currentData(), self.assessor.text(),
                                     entries) if self.submit else 0  # fmt: skip
        except UserError as exc:
            self._error(exc.render(tr._))
            return
        self.accept()

    def _error(self, text: str) -> None:
        self.errors.setText(text)
        self.errors.setVisible(True)


__all__ = ["Any", "LevelEntryDialog", "read_level"]
