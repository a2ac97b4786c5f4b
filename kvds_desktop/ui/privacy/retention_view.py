"""The retention window: a period per kind of data, what is due, and the run."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.errors import N_
from kvds_desktop.i18n import Translator

CATEGORY_LABELS: dict[str, str] = {
    "notes": N_("Notes and aandachtspunten"),
    "absence_reasons": N_("Reasons and notes of absence (the marks stay)"),
    "work_profiles": N_("Work profiles and consents"),
    "anonymise": N_("Names, BSN and contact details (anonymised; the figures stay)"),
}


class RetentionDialog(QDialog):
    """Periods per category, the plan of what is due, and a button to carry it out."""

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self.setWindowTitle(tr._("Retention"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr._(
            "Personal data is kept only as long as it is needed. Per kind of data: the "
            "months after a candidate left the programme before it is deleted or "
            "anonymised. Look at what is due, then carry it out; the figures of the "
            "dashboard stay the same."
        ))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.months: dict[str, QSpinBox] = {}
        for key, label in CATEGORY_LABELS.items():
            box = QSpinBox()
            box.setRange(0, 1200)
            box.setSuffix(" " + tr._("months"))
            self.months[key] = box
            form.addRow(tr._(label), box)
        layout.addLayout(form)
        self.plan_button = QPushButton(tr._("Show what is due"))
        self.plan_button.setDefault(True)
        layout.addWidget(self.plan_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.items = QTableWidget(0, 5)
        self.items.setObjectName("retentionItems")
        self.items.setHorizontalHeaderLabels([
            tr._("Kind of data"), tr._("Candidate"), tr._("Left on"), tr._("Due since"),
            tr._("Records"),
        ])  # fmt: skip
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.setSortingEnabled(True)
        self.items.verticalHeader().setVisible(False)
        self.items.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.items, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = buttons.addButton(
            tr._("Delete and anonymise now…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.apply_button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 640)
