"""Where things are in a teacher workbook, shared by the writer and the reader.

The visible sheet holds a title block, a header row with one column per lesson, one
row per candidate and a legend under the table. A very hidden sheet (``kvds``) holds
one record per row: ``key, value`` pairs first, then ``status``, ``column`` and ``row``
records that map the visible cells to lessons and candidates. The reader compares the
visible names and headers with that map, so moved rows or columns are noticed.
"""

from __future__ import annotations

from collections.abc import Iterable

from kvds_desktop.domain.enums import AbsenceReason
from kvds_desktop.errors import N_

WORKBOOK_FORMAT = "kvds-teacher-workbook"
WORKBOOK_VERSION = 1
META_SHEET = "kvds"
HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
NAME_COLUMN = 1
FIRST_LESSON_COLUMN = 2

# Record tags in the hidden sheet.
STATUS_RECORD = "status"
COLUMN_RECORD = "column"
ROW_RECORD = "row"

# How reasons are explained in the legend (msgids shared with the register's labels).
REASON_LABELS: dict[str, str] = {
    AbsenceReason.ZIEK: N_("ill"),
    AbsenceReason.AFSPRAAK_INSTANTIE: N_("appointment with an agency"),
    AbsenceReason.WERK: N_("work"),
    AbsenceReason.ZORGTAKEN: N_("care duties"),
    AbsenceReason.OVERIG: N_("other"),
}

# Words a teacher may write for a reason besides its code (English labels, short forms).
REASON_WORDS: dict[str, str] = {
    "ill": AbsenceReason.ZIEK,
    "sick": AbsenceReason.ZIEK,
    "afspraak": AbsenceReason.AFSPRAAK_INSTANTIE,
    "appointment": AbsenceReason.AFSPRAAK_INSTANTIE,
    "instantie": AbsenceReason.AFSPRAAK_INSTANTIE,
    "work": AbsenceReason.WERK,
    "zorg": AbsenceReason.ZORGTAKEN,
    "care": AbsenceReason.ZORGTAKEN,
    "other": AbsenceReason.OVERIG,
    "anders": AbsenceReason.OVERIG,
}


def same_text(a: object, b: object) -> bool:
    """Whether two cell texts are equal, ignoring case, line breaks and extra spaces."""
    return normalized(a) == normalized(b)


def normalized(value: object) -> str:
    """A cell's text with whitespace collapsed and case folded (None is empty)."""
    return " ".join(("" if value is None else str(value)).split()).casefold()


def one_line(text: str) -> str:
    """A multi-line header as one line."""
    return " ".join(text.split())


def joined(values: Iterable[str]) -> str:
    """Values as the hidden sheet stores a list: separated by spaces."""
    return " ".join(values)
