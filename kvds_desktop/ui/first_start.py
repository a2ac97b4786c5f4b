"""The welcome dialog shown when there is no database yet."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from kvds_desktop.i18n import Translator


class FirstStartChoice(Enum):
    """What the user chose on the welcome dialog."""

    EMPTY = "empty"
    DEMO = "demo"
    OPEN = "open"
    QUIT = "quit"


class FirstStartDialog(QDialog):
    """Offers an empty database, the demo data, or an existing file."""

    def __init__(self, path: Path, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstStartDialog")
        self.setWindowTitle(tr._("Welcome to KVDS Desktop"))
        self.choice = FirstStartChoice.QUIT
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        heading = QLabel(tr._("Welcome to KVDS Desktop"))
        heading.setObjectName("pageTitle")
        text = QLabel(
            tr._("There is no database yet at {path}. How would you like to start?").format(
                path=path
            )
        )
        where = QLabel(
            tr._(
                "Your data stays on this computer in {folder}, with automatic backups in its "
                "folder 'backups'. Help > About shows these folders at any time."
            ).format(folder=path.parent)
        )
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(where)
        self.buttons: dict[FirstStartChoice, QPushButton] = {}
        for choice, label in (
            (FirstStartChoice.EMPTY, tr._("Start with an empty database")),
            (FirstStartChoice.DEMO, tr._("Try it out with the demo data (fictional people)")),
            (FirstStartChoice.OPEN, tr._("Open an existing database…")),
            (FirstStartChoice.QUIT, tr._("Quit")),
        ):
            button = QPushButton(label)
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            layout.addWidget(button)
            self.buttons[choice] = button
        self.buttons[FirstStartChoice.EMPTY].setDefault(True)
        self.resize(560, self.sizeHint().height())

    def _choose(self, choice: FirstStartChoice) -> None:
        self.choice = choice
        if choice is FirstStartChoice.QUIT:
            self.reject()
        else:
            self.accept()
