"""One place for message boxes and file dialogs, so tests can replace it.

Controllers never call QMessageBox or QFileDialog themselves; they ask the
:class:`DialogService` they were given. The last folder used per purpose is
remembered between sessions.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class DialogService:
    """Modal questions and file choices, parented to the main window."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        self._settings = settings
        self.parent = parent

    def info(self, title: str, text: str) -> None:
        """Tell the user something went well or is worth knowing."""
        QMessageBox.information(self.parent, title, text)

    def error(self, title: str, text: str) -> None:
        """Tell the user what went wrong and what to do."""
        QMessageBox.warning(self.parent, title, text)

    def confirm(self, title: str, text: str) -> bool:
        """Ask a yes/no question; No is the default."""
        answer = QMessageBox.question(
            self.parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _folder(self, purpose: str, fallback: Path) -> str:
        return str(self._settings.value(f"folders/{purpose}", str(fallback)))

    def _remember(self, purpose: str, chosen: str) -> Path | None:
        if not chosen:
            return None
        path = Path(chosen)
        self._settings.setValue(f"folders/{purpose}", str(path.parent))
        return path

    def open_file(self, purpose: str, title: str, filters: str, fallback: Path) -> Path | None:
        """Ask for an existing file; None when cancelled."""
        chosen, _ = QFileDialog.getOpenFileName(
            self.parent, title, self._folder(purpose, fallback), filters
        )
        return self._remember(purpose, chosen)

    def save_file(
        self, purpose: str, title: str, filters: str, fallback: Path, suggested: str
    ) -> Path | None:
        """Ask for a file to write; None when cancelled."""
        start = str(Path(self._folder(purpose, fallback)) / suggested)
        chosen, _ = QFileDialog.getSaveFileName(self.parent, title, start, filters)
        return self._remember(purpose, chosen)

    def open_files(self, purpose: str, title: str, filters: str, fallback: Path) -> list[Path]:
        """Ask for one or more existing files; empty when cancelled."""
        chosen, _ = QFileDialog.getOpenFileNames(
            self.parent, title, self._folder(purpose, fallback), filters
        )
        if chosen:
            self._remember(purpose, chosen[0])
        return [Path(name) for name in chosen]

    def passphrase(self, title: str, label: str) -> str | None:
        """Ask for a passphrase (typed hidden); None when cancelled."""
        text, ok = QInputDialog.getText(self.parent, title, label, QLineEdit.EchoMode.Password)
        return text if ok else None

    def choose(self, title: str, label: str, items: list[str]) -> int | None:
        """Let the user pick one of ``items``; its index, or None when cancelled."""
        if not items:
            return None
        text, ok = QInputDialog.getItem(self.parent, title, label, items, 0, False)
        return items.index(text) if ok and text in items else None

    def text(self, title: str, label: str) -> str | None:
        """Ask for a short text (a reason); None when cancelled."""
        text, ok = QInputDialog.getText(self.parent, title, label)
        return text if ok else None

    def folder(self, purpose: str, title: str, fallback: Path) -> Path | None:
        """Ask for a folder; None when cancelled."""
        chosen = QFileDialog.getExistingDirectory(
            self.parent, title, self._folder(purpose, fallback)
        )
        if not chosen:
            return None
        self._settings.setValue(f"folders/{purpose}", chosen)
        return Path(chosen)
