"""The record of one candidate, read-only, in sections (layout only)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.i18n import Translator


class Section(QFrame):
    """A card with a title and label/value rows, rebuilt whenever it is filled."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        layout.addWidget(self.title)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(18)
        self.form.setVerticalSpacing(6)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(self.form)

    def fill(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        """Show ``rows`` of (label, value); empty values show a dash."""
        self.title.setText(title)
        while self.form.rowCount():
            self.form.removeRow(0)
        for label, value in rows:
            text = QLabel(value or "—")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption = QLabel(label)
            caption.setObjectName("figureLabel")
            self.form.addRow(caption, text)


class CandidateDetailView(QScrollArea):
    """The right-hand side of the candidate list."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("pageBody")
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(12)
        self.name = QLabel()
        self.name.setObjectName("pageTitle")
        self.name.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("pageSummary")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.name)
        layout.addWidget(self.subtitle)
        buttons = QGridLayout()
        buttons.setSpacing(6)
        self.edit_button = QPushButton()
        self.status_button = QPushButton()
        self.note_button = QPushButton()
        self.pip_button = QPushButton()
        self.extend_button = QPushButton()
        self.profile_button = QPushButton()
        self.bsn_button = QPushButton()
        self.schedule_button = QPushButton()
        self.schedule_button.setObjectName("printSchedule")
        self.subject_button = QPushButton()
        self.subject_button.setObjectName("subjectExport")
        self.erase_button = QPushButton()
        self.erase_button.setObjectName("eraseCandidate")
        self.action_buttons = [
            self.edit_button,
            self.status_button,
            self.note_button,
            self.pip_button,
            self.extend_button,
            self.profile_button,
            self.bsn_button,
            self.schedule_button,
            self.subject_button,
            self.erase_button,
        ]
        for index, button in enumerate(self.action_buttons):
            buttons.addWidget(button, index // 3, index % 3)
        layout.addLayout(buttons)
        self.deadlines = QLabel()
        self.deadlines.setObjectName("banner")
        self.deadlines.setWordWrap(True)
        layout.addWidget(self.deadlines)
        self.person = Section()
        self.integration = Section()
        self.work = Section()
        self.attention = Section()
        self.notes = Section()
        self.history = Section()
        self.sections = [
            self.person,
            self.integration,
            self.work,
            self.attention,
            self.notes,
            self.history,
        ]
        for section in self.sections:
            layout.addWidget(section)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setContentsMargins(0, 60, 0, 0)
        layout.insertWidget(0, self.empty)
        layout.addStretch(1)
        self.show_empty("")

    def retranslate_ui(self, tr: Translator) -> None:
        """Set the button texts in the language of ``tr``."""
        self.edit_button.setText(tr._("Edit…"))
        self.edit_button.setToolTip(tr._("Edit the record (Ctrl+E)"))
        self.status_button.setText(tr._("Status…"))
        self.note_button.setText(tr._("Note…"))
        self.pip_button.setText(tr._("PIP…"))
        self.extend_button.setText(tr._("Extend term…"))
        self.profile_button.setText(tr._("Work profile…"))
        self.bsn_button.setText(tr._("Show BSN"))
        self.schedule_button.setText(tr._("Print weekly schedule…"))
        self.schedule_button.setToolTip(
            tr._("The candidate's lessons and placements of the week shown on Groepen & rooster")
        )
        self.bsn_button.setToolTip(tr._("Showing the BSN is recorded in the audit trail."))
        self.subject_button.setText(tr._("All data…"))
        self.subject_button.setToolTip(
            tr._("Everything the application holds about this person, as PDF or JSON, for a "
                 "request under the GDPR (recorded in the audit trail)")
        )  # fmt: skip
        self.erase_button.setText(tr._("Erase…"))
        self.erase_button.setToolTip(
            tr._("Delete everything about this person, for a request to be forgotten")
        )

    def show_empty(self, text: str) -> None:
        """No candidate selected: hide the record and show ``text``."""
        for widget in (
            self.name,
            self.subtitle,
            self.deadlines,
            *self.sections,
            *self.action_buttons,
        ):
            widget.setVisible(False)
        self.empty.setVisible(True)
        self.empty.setText(text)

    def show_record(self) -> None:
        """Make the record's widgets visible (the controller has filled them)."""
        for widget in (self.name, self.subtitle, *self.sections, *self.action_buttons):
            widget.setVisible(True)
        self.empty.setVisible(False)
