"""When someone else saved a record while you edited it: say who, what and when, and ask.

:func:`save_or_ask` wraps the save of any form whose service takes an expected version
(see ``kvds_desktop/services/conflicts.py``). On :class:`EditConflict` it shows a
:class:`ConflictDialog` listing each field with their value and yours, and offers three
ways on: keep my changes (save them on top of theirs), take theirs (drop my entries
and show the record as it is now), or back to editing (the default, and Esc: nothing
is lost, the form stays open with what was typed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator
from kvds_desktop.services.conflicts import EditConflict, FieldDifference
from kvds_desktop.ui.forms import FormDialog, date_text

T = TypeVar("T")


class Choice(Enum):
    """What the user chose to do about a conflicting change."""

    KEEP_MINE = "keep"
    TAKE_THEIRS = "theirs"
    BACK = "back"


def field_label(form: FormDialog, name: str) -> str:
    """The label a form shows for its field ``name`` (the name itself when it has none)."""
    widget = form.fields.get(name)
    if widget is None:
        return name
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    label = layout.labelForField(widget) if isinstance(layout, QFormLayout) else None
    return label.text() if isinstance(label, QLabel) else name


def shown_value(form: FormDialog, name: str, value: Any, tr: Translator) -> str:
    """A stored value as the form's field shows it: a choice by its text, a date dd-mm-yyyy."""
    widget = form.fields.get(name)
    if isinstance(widget, QComboBox) and not widget.isEditable():
        index = widget.findData(value)
        if index >= 0:
            return widget.itemText(index)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return tr._("Yes") if value else tr._("No")
    if isinstance(value, date):
        return date_text(value)
    return str(value)


class ConflictDialog(QDialog):
    """Who changed the record and when, their values and yours, and the three ways on."""

    def __init__(self, conflict: EditConflict, form: FormDialog, tr: Translator,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(tr._("Someone else changed this record"))
        self.choice = Choice.BACK
        layout = QVBoxLayout(self)
        self.message = QLabel(conflict.render(tr._))
        self.message.setObjectName("conflictMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("conflictFields")
        self.table.setHorizontalHeaderLabels([tr._("Field"), tr._("Theirs"), tr._("Yours")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._fill(conflict.differences, form, tr)
        layout.addWidget(self.table, 1)
        hint = QLabel(
            tr._(
                "Keep my changes saves the fields you changed over theirs; the other "
                "fields keep their new values. Take theirs drops what you typed."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QHBoxLayout()
        self.keep_button = QPushButton(tr._("Keep my changes"))
        self.theirs_button = QPushButton(tr._("Take theirs"))
        self.back_button = QPushButton(tr._("Back to editing"))
        self.keep_button.setObjectName("keepMine")
        self.theirs_button.setObjectName("takeTheirs")
        self.back_button.setObjectName("backToEditing")
        for button, choice in ((self.keep_button, Choice.KEEP_MINE),
                               (self.theirs_button, Choice.TAKE_THEIRS),
                               (self.back_button, Choice.BACK)):  # fmt: skip
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            buttons.addWidget(button)
        self.back_button.setDefault(True)  # Enter and Esc both go back: nothing is lost
        buttons.insertStretch(0)
        layout.addLayout(buttons)
        self.resize(640, 360)

    def _fill(self, differences: tuple[FieldDifference, ...], form: FormDialog,
              tr: Translator) -> None:  # fmt: skip
        not_yours = tr._("(not changed by you: theirs stays)")
        self.table.setRowCount(len(differences))
        for row, diff in enumerate(differences):
            yours = shown_value(form, diff.field, diff.yours, tr) if diff.you_changed else not_yours
            cells = (field_label(form, diff.field), shown_value(form, diff.field, diff.theirs, tr),
                     yours)  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        if choice is Choice.BACK:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:
        """Esc, the window's close button and Back to editing: nothing is lost."""
        self.choice = Choice.BACK
        super().reject()

    def ask(self) -> Choice:
        """Show the dialog and wait for the choice."""
        self.exec()
        return self.choice


def save_or_ask(
    save: Callable[[int], T], version: int, form: FormDialog, tr: Translator
) -> tuple[bool, T | None]:
    """Save with the ``version`` the form loaded; on a conflict, ask what to do.

    Returns ``(True, result)`` when saved (perhaps on top of theirs after Keep my
    changes) and ``(False, None)`` when the user took theirs: the caller closes the form
    and shows the record as stored.

    Raises:
        EditConflict: the user went back to editing; the form shows the message and keeps
            what was typed.
    """
    while True:
        try:
            return True, save(version)
        except EditConflict as conflict:
            choice = ConflictDialog(conflict, form, tr, form).ask()
            if choice is Choice.BACK:
                raise
            if choice is Choice.TAKE_THEIRS:
                return False, None
            version = conflict.version
