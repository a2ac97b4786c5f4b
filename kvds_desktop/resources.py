"""Find the files the application ships: icons, fonts, translations.

They live at the top of a source checkout (``resources/``, ``translations/``), under
``kvds_desktop/_data/`` in an installed wheel, and under ``sys._MEIPASS`` in a
PyInstaller bundle; this module is the one place that knows.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates(name: str) -> list[Path]:
    places = [_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        places.insert(0, Path(bundle) / "kvds_desktop" / "_data" / name)
    return places


def data_dir(name: str) -> Path:
    """The folder ``name`` ('resources' or 'translations') wherever the app is installed."""
    for place in _candidates(name):
        if place.is_dir():
            return place
    raise FileNotFoundError(f"the application's {name} folder is missing; reinstall KVDS Desktop")


def resource(relative: str) -> Path:
    """A file below ``resources/``, e.g. ``resource('icons/app.svg')``."""
    return data_dir("resources") / relative


def translations_dir() -> Path:
    """The folder with the gettext catalogs (.po)."""
    return data_dir("translations")
