"""Reading closure days from a CSV file, as people keep them in a spreadsheet.

The first non-empty line names the columns (Dutch or English, any case); fields are
separated by ``;``, ``,`` or a tab; dates are dd-mm-jjjj or jjjj-mm-dd. Each data row
becomes a closure or a problem with its line number; the caller stores the closures.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kvds_desktop.domain.enums import ClosureKind
from kvds_desktop.errors import N_, UserError

MAX_CLOSURE_DAYS = 366
HEADERS: dict[str, tuple[str, ...]] = {
    "from": ("van", "datum van", "vanaf", "van datum", "begindatum", "startdatum", "begin",
             "datum", "from", "start", "start date", "date"),
    "to": ("tot", "tot en met", "t/m", "tm", "datum tot", "tot datum", "einddatum", "eind",
           "to", "until", "end", "end date"),
    "name": ("naam", "omschrijving", "beschrijving", "vakantie", "name", "description"),
    "location": ("locatie", "vestiging", "location"),
    "kind": ("soort", "type", "kind"),
}  # fmt: skip
ALL_LOCATIONS = frozenset({"", "alle", "allemaal", "beide", "iedereen", "all", "*"})
KIND_WORDS: dict[str, ClosureKind] = {
    "schoolvakantie": ClosureKind.SCHOOL_HOLIDAY,
    "vakantie": ClosureKind.SCHOOL_HOLIDAY,
    "school holiday": ClosureKind.SCHOOL_HOLIDAY,
    "eigen": ClosureKind.OWN,
    "sluiting": ClosureKind.OWN,
    "studiedag": ClosureKind.OWN,
    "own": ClosureKind.OWN,
    "feestdag": ClosureKind.PUBLIC_HOLIDAY,
    "public holiday": ClosureKind.PUBLIC_HOLIDAY,
}
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


@dataclass(frozen=True)
class ParsedClosure:
    """One closure read from a row (``location_id`` None: every location)."""

    line: int
    location_id: int | None
    first: date
    last: date
    kind: str
    name: str


class RowProblem(Exception):
    """A row that cannot be a closure, with a message id and its parameters."""

    def __init__(self, message_id: str, **params: Any) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params


def parse_date(text: str) -> date:
    """A date written dd-mm-jjjj or jjjj-mm-dd (also with / or .)."""
    text = text.strip()
    parts: tuple[int, int, int] | None = None
    if match := _DMY.match(text):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := _YMD.match(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    try:
        if parts is None:
            raise ValueError(text)
        return date(*parts)
    except ValueError:
        raise RowProblem(
            N_("The date {value} is not a date (use dd-mm-jjjj or jjjj-mm-dd)."), value=text
        ) from None


def check_closure(first: date, last: date, name: str) -> None:
    """Refuse a closure without a name, that ends before it starts, or lasts over a year."""
    if not name:
        raise RowProblem(N_("The closure has no name."))
    if last < first:
        raise RowProblem(N_("The closure ends before it starts."))
    if (last - first).days >= MAX_CLOSURE_DAYS:
        raise RowProblem(N_("A closure lasts at most a year."))


def closure_kind(text: str, name: str) -> str:
    """The kind from the ``soort`` column; empty: a "...vakantie" is a school holiday."""
    word = text.strip().lower()
    if not word:
        holiday = "vakantie" in name.lower()
        return (ClosureKind.SCHOOL_HOLIDAY if holiday else ClosureKind.OWN).value
    kind = KIND_WORDS.get(word)
    if kind is None:
        raise RowProblem(
            N_("{value} is not a kind of closure (schoolvakantie, eigen or feestdag)."),
            value=text.strip(),
        )
    return kind.value


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(
            N_("The file {path} cannot be read: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _columns(header: list[str], path: Path) -> dict[str, int]:
    def clean(text: str) -> str:
        return " ".join(text.replace("\ufeff", "").strip().strip(":").lower().split())

    found: dict[str, int] = {}
    for index, title in enumerate(header):
        for key, names in HEADERS.items():
            if key not in found and clean(title) in names:
                found[key] = index
                break
    if "from" not in found or "name" not in found:
        raise UserError(
            N_(
                "The file {path} has no column for the first day ('van') or for the name "
                "('naam'). The first line must name the columns."
            ),
            path=str(path),
        )
    return found


def _parse_row(
    line: int, cells: list[str], columns: dict[str, int], locations: Mapping[str, int]
) -> ParsedClosure:
    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    if not cell("from"):
        raise RowProblem(N_("The closure has no first day."))
    first = parse_date(cell("from"))
    last = parse_date(cell("to")) if cell("to") else first
    name = " ".join(cell("name").split())
    check_closure(first, last, name)
    place = cell("location")
    location_id: int | None = None
    if place.lower() not in ALL_LOCATIONS:
        if place.casefold() not in locations:
            raise RowProblem(N_("There is no location called {value}."), value=place)
        location_id = locations[place.casefold()]
    return ParsedClosure(line, location_id, first, last, closure_kind(cell("kind"), name), name)


def read_closures(
    path: Path, locations: Mapping[str, int]
) -> tuple[list[ParsedClosure], list[tuple[int, str, dict[str, Any]]]]:
    """The closures in a CSV file, and the rows refused (line number, message id, params).

    ``locations`` maps lower-case location names (and municipalities) to ids.

    Raises:
        UserError: the file cannot be read, is empty, or lacks the required columns.
    """
    text = _read_text(path)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next((cells for cells in reader if any(c.strip() for c in cells)), None)
        if header is None:
            raise UserError(N_("The file {path} is empty."), path=str(path))
        columns = _columns(header, path)
        found: list[ParsedClosure] = []
        rejected: list[tuple[int, str, dict[str, Any]]] = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            try:
                found.append(_parse_row(reader.line_num, cells, columns, locations))
            except RowProblem as problem:
                rejected.append((reader.line_num, problem.message_id, problem.params))
    except csv.Error as exc:
        raise UserError(
            N_(
                "The file {path} is not a CSV file that can be read (line {line}). Save it "
                "again as CSV (separated by ; or ,) and try again."
            ),
            path=str(path),
            line=reader.line_num,
        ) from exc
    return found, rejected
