"""Fixtures for the GUI tests: a main window wired as the app wires it, with fake dialogs."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kvds_desktop.config import SettingsStore
from kvds_desktop.i18n import Translator
from kvds_desktop.paths import AppPaths
from kvds_desktop.ui.main_controller import MainController
from kvds_desktop.ui.main_window import MainWindow


@dataclass
class FakeDialogs:
    """Stands in for DialogService: records messages, answers from a script."""

    errors: list[tuple[str, str]] = field(default_factory=list)
    infos: list[tuple[str, str]] = field(default_factory=list)
    files: list[Path | None] = field(default_factory=list)
    answers: list[bool] = field(default_factory=list)
    passphrases: list[str | None] = field(default_factory=list)
    choices: list[int | None] = field(default_factory=list)
    texts: list[str | None] = field(default_factory=list)
    folders: list[Path | None] = field(default_factory=list)
    many_files: list[list[Path]] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)
    parent: object = None

    def info(self, title: str, text: str) -> None:
        self.infos.append((title, text))

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def confirm(self, title: str, text: str) -> bool:
        return self.answers.pop(0) if self.answers else False

    def open_file(self, *args: object) -> Path | None:
        return self.files.pop(0) if self.files else None

    def save_file(self, *args: object) -> Path | None:
        return self.files.pop(0) if self.files else None

    def open_files(self, *args: object) -> list[Path]:
        return self.many_files.pop(0) if self.many_files else []

    def passphrase(self, title: str, label: str) -> str | None:
        self.asked.append((title, label))
        return self.passphrases.pop(0) if self.passphrases else None

    def folder(self, *args: object) -> Path | None:
        return self.folders.pop(0) if self.folders else None

    def text(self, title: str, label: str) -> str | None:
        self.asked.append((title, label))
        return self.texts.pop(0) if self.texts else None

    def choose(self, title: str, label: str, items: list[str]) -> int | None:
        self.asked.append((title, label + " | " + " / ".join(items)))
        return self.choices.pop(0) if self.choices else None


@dataclass
class Harness:
    window: MainWindow
    controller: MainController
    dialogs: FakeDialogs
    paths: AppPaths
    languages: list[str]


@pytest.fixture
def make_harness(
    qtbot: QtBot, app_paths: AppPaths, reference_date: date
) -> Iterator[Callable[..., Harness]]:
    made: list[Harness] = []

    def make(language: str = "nl") -> Harness:
        tr = Translator.for_language(language)
        window = MainWindow(tr)
        qtbot.addWidget(window)
        dialogs = FakeDialogs()
        languages: list[str] = []

        def set_language(code: str) -> Translator:
            languages.append(code)
            return Translator.for_language(code)

        qsettings = QSettings(str(app_paths.config_dir / "window.ini"), QSettings.Format.IniFormat)
        controller = MainController(
            window,
            paths=app_paths,
            settings_store=SettingsStore(app_paths.settings_file),
            tr=tr,
            dialogs=dialogs,  # type: ignore[arg-type]
            qsettings=qsettings,
            set_language=set_language,
            today=lambda: reference_date,
        )
        harness = Harness(window, controller, dialogs, app_paths, languages)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.controller.runner.shutdown()
        harness.controller.close_database()
        harness.window.hide()
        harness.window.deleteLater()
    # Delete the windows now, and collect their Python wrappers now, so that nothing of
    # this test is destroyed later while another test has a worker thread running.
    made.clear()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture
def pilot(make_harness: Callable[..., Harness], pilot_file: Path, tmp_path: Path) -> Harness:
    """A window (in English) on a fresh copy of the pilot database."""
    copy = tmp_path / "pilot.sqlite"
    copy.write_bytes(pilot_file.read_bytes())
    harness = make_harness("en")
    assert harness.controller.open_database(copy)
    return harness
