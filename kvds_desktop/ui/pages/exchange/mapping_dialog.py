"""Map a client system's column headers to candidate fields, and save the mapping by name."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.exchange.candidate_fields import FIELDS, IGNORE, recognise
from kvds_desktop.i18n import Translator


class MappingDialog(QDialog):
    """One row per column of the file: which field it holds, or ignore it."""

    def __init__(
        self,
        headers: Sequence[str],
        current: dict[str, str] | None,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mappingDialog")
        self.setWindowTitle(tr._("Map columns"))
        layout = QVBoxLayout(self)
        hint = QLabel(
            tr._(
                "Say for each column of the file which field it holds. Columns that are not "
                "needed can be ignored. Give the mapping a name to use it again next time."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        body = QWidget()
        form = QFormLayout(body)
        recognised = recognise(headers, current).columns
        self.boxes: dict[str, QComboBox] = {}
        for index, header in enumerate(headers):
            if not header:
                continue
            box = QComboBox()
            box.addItem(tr._("— ignore —"), IGNORE)
            for spec in FIELDS:
                box.addItem(spec.header, spec.name)
            chosen = recognised.get(index, IGNORE)
            box.setCurrentIndex(max(box.findData(chosen), 0))
            self.boxes[header] = box
            form.addRow(header, box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        name_row = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr._("for example: export Suite4Sociaal Domein"))
        name_row.addRow(tr._("Save as (optional)"), self.name)
        layout.addLayout(name_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 560)

    def mapping(self) -> dict[str, str]:
        """{header: field} for every column, 'ignore' for the ignored ones."""
        return {header: str(box.currentData()) for header, box in self.boxes.items()}
