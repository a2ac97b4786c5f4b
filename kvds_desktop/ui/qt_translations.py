"""Qt's own texts (buttons such as Yes, No, Cancel) in the chosen language."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from kvds_desktop.i18n import BABEL_LOCALES


class QtTranslations:
    """Installs ``qtbase_<lang>.qm`` from Qt's translations folder."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None

    def install(self, language: str) -> bool:
        """Use Qt's catalog for ``language``; True when one was found."""
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        QLocale.setDefault(QLocale(BABEL_LOCALES.get(language, "nl_NL")))
        translator = QTranslator(self._app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{language}", folder):
            self._app.installTranslator(translator)
            self._translator = translator
            return True
        return False
