"""Form dialogs the pages share: typed fields, an error area, and a submit function.

A dialog never closes on a mistake: the submit function raises :class:`Invalid` or
:class:`UserError`, the dialog marks the fields and keeps what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.domain.dates import parse_date
from kvds_desktop.errors import N_, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services.candidates import FieldProblem, Invalid

Submit = Callable[[dict[str, Any]], None]
ERROR_STYLE = "border: 1px solid #b3261e;"


def date_text(value: date | None) -> str:
    """How a date is shown in a date field."""
    return value.strftime("%d-%m-%Y") if value else ""


class DateField(QLineEdit):
    """A text field for a date, typed as dd-mm-jjjj."""

    def __init__(self, value: date | None = None) -> None:
        super().__init__(date_text(value))
        self.setPlaceholderText("dd-mm-jjjj")
        self.setMaximumWidth(140)


def choice_box(
    options: Sequence[tuple[Any, str]], current: Any, tr: Translator, empty: bool = False
) -> QComboBox:
    """A combo box of (value, message id) options with ``current`` selected."""
    box = QComboBox()
    if empty:
        box.addItem("—", None)
    for value, label in options:
        box.addItem(tr._(label), value)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    return box


class FormDialog(QDialog):
    """A dialog with a form, an error area, OK/Cancel, and a submit function."""

    def __init__(self, title: str, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.setWindowTitle(title)
        self.fields: dict[str, QWidget] = {}
        self.submit: Submit | None = None
        self.layout_ = QVBoxLayout(self)
        self.errors = QLabel()
        self.errors.setObjectName("banner")
        self.errors.setWordWrap(True)
        self.errors.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self, body: QWidget | None = None) -> None:
        """Add the body, the error area and the buttons."""
        if body is not None:
            self.layout_.addWidget(body, 1)
        self.layout_.addWidget(self.errors)
        self.layout_.addWidget(self.buttons)

    def add(self, form: QFormLayout, name: str, label: str, widget: QWidget) -> None:
        """Add a labelled field to ``form``."""
        widget.setObjectName(f"field_{name}")
        self.fields[name] = widget
        form.addRow(label, widget)

    def read(self) -> dict[str, Any]:
        """The values of all fields (dates parsed; raises Invalid for unreadable dates)."""
        values: dict[str, Any] = {}
        bad: list[str] = []
        bad_times: list[str] = []
        for name, widget in self.fields.items():
            if isinstance(widget, DateField):
                try:
                    values[name] = parse_date(widget.text())
                except ValueError:
                    bad.append(name)
            elif isinstance(widget, TimeField):
                try:
                    values[name] = parse_time(widget.text())
                except ValueError:
                    bad_times.append(name)
            elif isinstance(widget, QComboBox):
                values[name] = (
                    widget.currentText().strip() if widget.isEditable() else widget.currentData()
                )
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
            elif isinstance(widget, QDoubleSpinBox):
                values[name] = widget.value()
            elif isinstance(widget, QSpinBox):
                empty = widget.specialValueText() and widget.value() == widget.minimum()
                values[name] = None if empty else widget.value()
            elif isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            elif isinstance(widget, QLineEdit):
                values[name] = widget.text()
        problems = [FieldProblem(name, N_("Not a date (use dd-mm-jjjj).")) for name in bad]
        problems += [FieldProblem(name, N_("Not a time (use uu:mm).")) for name in bad_times]
        if problems:
            raise Invalid(problems)
        return values

    def _try_accept(self) -> None:
        self.errors.setVisible(False)
        self.errors.clear()
        for widget in self.fields.values():
            widget.setStyleSheet("")
        try:
            values = self.read()
            if self.submit is not None:
                self.submit(values)
        except Invalid as exc:
            for problem in exc.problems:
                marked = self.fields.get(problem.field)
                if marked is not None:
                    marked.setStyleSheet(ERROR_STYLE)
                    marked.setToolTip(problem.text(self.tr_._))
            self.show_error(exc.render(self.tr_._))
            return
        except UserError as exc:
            self.show_error(exc.render(self.tr_._))
            return
        self.accept()

    def show_error(self, text: str) -> None:
        """Show what is wrong above the buttons."""
        self.errors.setText(text)
        self.errors.setVisible(True)


_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_time(text: str) -> time | None:
    """A time typed as hh:mm (or h.mm); None when empty.

    Raises:
        ValueError: the text is not a time of day.
    """
    text = text.strip()
    if not text:
        return None
    match = _TIME.match(text)
    if not match:
        raise ValueError(text)
    return time(int(match.group(1)), int(match.group(2)))


class TimeField(QLineEdit):
    """A text field for a time of day, typed as hh:mm."""

    def __init__(self, value: time | None = None) -> None:
        super().__init__(value.strftime("%H:%M") if value else "")
        self.setPlaceholderText("uu:mm")
        self.setMaximumWidth(90)
