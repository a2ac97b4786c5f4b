"""Keep the catalogs in step with the code.

Run ``python translations/update_catalogs.py`` after changing visible strings:
it extracts every message into ``kvds_desktop.pot``, merges it into ``nl.po``
and ``en.po`` (new entries empty, obsolete ones dropped), and fills ``en.po``
with the English source text, since the messages are written in English.
Dutch translations are then written by hand in ``nl.po``; the test suite fails
while one is missing.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
FIXED_DATE = datetime(2026, 11, 28)


def extract() -> Catalog:
    """Every translatable message in the package, with where it stands."""
    catalog = Catalog(project="kvds-desktop", charset="utf-8", creation_date=FIXED_DATE)
    method_map = [("kvds_desktop/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        if not filename.startswith("kvds_desktop"):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as handle:
        write_po(
            handle, catalog, width=100, omit_header=False, sort_output=True, ignore_obsolete=True
        )


def update() -> None:
    """Write the template and merge it into each language's catalog."""
    template = extract()
    _write(template, HERE / "kvds_desktop.pot")
    for language in ("nl", "en"):
        path = HERE / f"{language}.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
        else:
            catalog = Catalog(locale=language, project="kvds-desktop", creation_date=FIXED_DATE)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.revision_date = FIXED_DATE
        catalog.creation_date = FIXED_DATE
        if language == "en":
            for message in catalog:
                if message.id and not (
                    all(message.string) if isinstance(message.string, tuple) else message.string
                ):
                    message.string = message.id
        _write(catalog, path)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    update()
    print("catalogs updated in", HERE)
