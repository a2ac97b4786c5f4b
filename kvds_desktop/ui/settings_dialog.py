"""The Settings dialog: language, database location and backups (layout only)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.config import MATCH_WEIGHT_NAMES, Settings
from kvds_desktop.i18n import LANGUAGES, Translator
from kvds_desktop.services.work.pairs import ScoreWeights

DEFAULT_WEIGHTS = ScoreWeights()


class SettingsDialog(QDialog):
    """Edits a copy of the settings; :meth:`result_settings` returns what was chosen."""

    def __init__(
        self,
        settings: Settings,
        default_database: Path,
        backup_dir: Path,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._settings = settings
        self._default_database = default_database
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        self.database = QLineEdit(settings.database or "")
        self.database.setPlaceholderText(str(default_database))
        self.browse = QPushButton()
        self.use_default = QPushButton()
        self.use_default.clicked.connect(self.database.clear)
        db_row = QHBoxLayout()
        db_row.addWidget(self.database, 1)
        db_row.addWidget(self.browse)
        db_row.addWidget(self.use_default)
        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setValue(settings.backups_keep)
        self.daily = QCheckBox()
        self.daily.setChecked(settings.daily_backup)
        self.backup_folder = QLabel(str(backup_dir))
        self.backup_folder.setWordWrap(True)
        self.keep.setMaximumWidth(90)
        self.weights: dict[str, QDoubleSpinBox] = {}
        weights_row = QHBoxLayout()
        self.weight_labels: dict[str, QLabel] = {}
        for name in MATCH_WEIGHT_NAMES:
            box = QDoubleSpinBox()
            box.setObjectName(f"weight_{name}")
            box.setRange(0.0, 10.0)
            box.setSingleStep(0.5)
            box.setDecimals(1)
            box.setValue(settings.match_weights.get(name, getattr(DEFAULT_WEIGHTS, name)))
            self.weights[name] = box
            self.weight_labels[name] = QLabel()
            weights_row.addWidget(self.weight_labels[name])
            weights_row.addWidget(box)
        weights_row.addStretch(1)
        self.labels = [QLabel() for _ in range(6)]
        self.form = QFormLayout()
        self.form.addRow(self.labels[0], self.language)
        self.form.addRow(self.labels[1], db_row)
        self.form.addRow(self.labels[2], self.daily)
        self.form.addRow(self.labels[3], self.keep)
        self.form.addRow(self.labels[4], self.backup_folder)
        self.form.addRow(self.labels[5], weights_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.resize(640, 260)
        self.retranslate_ui(tr)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.setWindowTitle(tr._("Settings"))
        labels = [
            tr._("Language"),
            tr._("Database file"),
            tr._("Backups"),
            tr._("Backups to keep"),
            tr._("Backup folder"),
            tr._("Weights of a match's score"),
        ]
        for label, text in zip(self.labels, labels, strict=True):
            label.setText(text)
        self.browse.setText(tr._("Choose…"))
        self.use_default.setText(tr._("Use the default"))
        self.daily.setText(tr._("Make a backup every day the database is opened"))
        self.database.setToolTip(
            tr._(
                "Leave empty to use the default database. A shared database on a server: "
                "postgresql://user@server/name"
            )
        )
        names = {
            "sector": tr._("sector wish"),
            "experience": tr._("experience"),
            "education": tr._("education"),
            "travel": tr._("short travel"),
            "benefit": tr._("long on benefit"),
        }
        for name, label in self.weight_labels.items():
            label.setText(names[name])

    def result_settings(self) -> Settings:
        """The settings as chosen in the dialog."""
        database = self.database.text().strip() or None
        return Settings(
            language=str(self.language.currentData()),
            database=database,
            backups_keep=self.keep.value(),
            daily_backup=self.daily.isChecked(),
            recent_databases=list(self._settings.recent_databases),
            match_weights={name: box.value() for name, box in self.weights.items()},
        )
