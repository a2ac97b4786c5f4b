"""Translations (gettext catalogs managed with Babel) and locale-aware formatting.

A :class:`Translator` is made for one language and passed to whoever shows text;
there is no global "current language". Messages are written in English in the
code and translated from ``translations/<lang>.po``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from kvds_desktop.resources import translations_dir

LANGUAGES: Mapping[str, str] = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"
BABEL_LOCALES: Mapping[str, str] = {"nl": "nl_NL", "en": "en_GB"}


def load_catalog(language: str, folder: Path | None = None) -> dict[object, object]:
    """Read ``<language>.po`` into a lookup of msgid (or (context, msgid)) to translation."""
    path = (folder or translations_dir()) / f"{language}.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    table: dict[object, object] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key: object = message.id[0] if isinstance(message.id, tuple) else message.id
        if message.context:
            key = (message.context, key)
        if isinstance(message.string, tuple):
            if all(message.string):
                table[key] = message.string
        elif message.string:
            table[key] = message.string
    return table


@dataclass
class Translator:
    """Translates and formats for one language."""

    language: str = DEFAULT_LANGUAGE
    _table: dict[object, object] = field(default_factory=dict, repr=False)

    @classmethod
    def for_language(cls, language: str, folder: Path | None = None) -> Translator:
        """A translator for ``language`` ('nl' or 'en'); unknown languages fall back to Dutch."""
        if language not in LANGUAGES:
            language = DEFAULT_LANGUAGE
        return cls(language, load_catalog(language, folder))

    @property
    def locale(self) -> Locale:
        """The babel locale used for dates and numbers."""
        return Locale.parse(BABEL_LOCALES[self.language])

    def gettext(self, message: str) -> str:
        """Translate one message."""
        found = self._table.get(message)
        return found if isinstance(found, str) else message

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message that depends on a count (the count is not filled in)."""
        found = self._table.get(singular)
        if isinstance(found, tuple):
            index = self.locale.plural_form(n)
            forms = [str(f) for f in found]
            return forms[self._plural_index(index, len(forms))]
        return singular if n == 1 else plural

    @staticmethod
    def _plural_index(form: str, count: int) -> int:
        order = ["one", "other"]
        index = order.index(form) if form in order else count - 1
        return min(index, count - 1)

    def pgettext(self, context: str, message: str) -> str:
        """Translate a message in a context (the same English word, other meanings)."""
        found = self._table.get((context, message))
        return found if isinstance(found, str) else message

    def date(self, value: dt.date, style: str = "long") -> str:
        """A date as people write it: 'maandag 30 november 2026' with style='full'."""
        return format_date(value, format=style, locale=self.locale)

    def datetime(self, value: dt.datetime, style: str = "medium") -> str:
        """A date and time in the user's language."""
        return format_datetime(value, format=style, locale=self.locale)

    def number(self, value: float | int) -> str:
        """A number with the locale's separators."""
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        """A fraction as a percentage ('85%')."""
        return format_percent(value, locale=self.locale)

    def iso_week(self, value: dt.date) -> str:
        """The ISO week of a date, e.g. 'week 49'."""
        return self.gettext("week {number}").format(number=value.isocalendar().week)
