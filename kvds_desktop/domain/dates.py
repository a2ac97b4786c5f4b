"""Dates as people type them: dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj or jjjj-mm-dd."""

from __future__ import annotations

import re
from datetime import date

_DUTCH = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


def parse_date(text: str) -> date | None:
    """The date in ``text``; None when it is empty.

    Raises:
        ValueError: the text is not a real date (31-02-2026 is not).
    """
    text = text.strip()
    if not text:
        return None
    match = _DUTCH.match(text)
    if match:
        day, month, year = (int(group) for group in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text)
