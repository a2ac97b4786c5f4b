"""The catalogs are complete and consistent, and formatting follows the language."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kvds_desktop.errors import DatabaseMissing
from kvds_desktop.i18n import Translator
from kvds_desktop.resources import translations_dir

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def extracted() -> set[str]:
    sys.path.insert(0, str(ROOT / "translations"))
    try:
        import update_catalogs
    finally:
        sys.path.pop(0)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in update_catalogs.extract() if m.id}


@pytest.fixture(scope="module")
def messages() -> set[str]:
    found = extracted()
    assert len(found) > 50
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_visible_string_is_translated(language: str, messages: set[str]) -> None:
    with (translations_dir() / f"{language}.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    table = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    missing = sorted(m for m in messages if m not in table)
    assert missing == [], f"run translations/update_catalogs.py; missing in {language}.po"
    untranslated = sorted(
        m.id
        for m in table.values()
        if m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string))
    )
    assert untranslated == [], f"{language}.po lacks translations"
    for message in table.values():
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), source


def test_template_is_up_to_date(messages: set[str]) -> None:
    with (translations_dir() / "kvds_desktop.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert template == messages, "run translations/update_catalogs.py"


def test_dutch_dates_and_numbers() -> None:
    tr = Translator.for_language("nl")
    assert tr.date(date(2026, 11, 30), "full") == "maandag 30 november 2026"
    assert tr.number(1234.5) == "1.234,5"
    assert tr.iso_week(date(2026, 11, 30)) == "week 49"


def test_english_dates_and_numbers() -> None:
    tr = Translator.for_language("en")
    assert tr.date(date(2026, 11, 30), "full") == "Monday, 30 November 2026"
    assert tr.number(1234.5) == "1,234.5"


def test_user_errors_render_in_the_chosen_language() -> None:
    error = DatabaseMissing(
        "There is no database at {path}. Check the path, or create a new database with "
        "'kvds --db {path} init'.",
        path="/tmp/x.sqlite",
    )
    dutch = error.render(Translator.for_language("nl").gettext)
    assert dutch.startswith("Er is geen database")
    assert "/tmp/x.sqlite" in dutch


def test_unknown_language_falls_back_to_dutch() -> None:
    assert Translator.for_language("xx").language == "nl"
