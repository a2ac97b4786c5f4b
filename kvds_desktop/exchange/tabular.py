"""Reading a table (header row plus data rows) from a CSV or XLSX file.

Municipal client systems export lists in whatever shape their configuration gives:
``;``, ``,`` or tab separators, UTF-8 with or without a BOM, Windows-1252, or a
spreadsheet in which numbers and dates became typed cells. :func:`read_table` turns
all of them into rows of stripped strings, numbered as the user sees them in a
spreadsheet (the header is row 1), and turns every way a file can be unreadable into
one :class:`~kvds_desktop.errors.UserError`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.cells import unquote_text

DELIMITERS = ";,\t"
SNIFF_BYTES = 64 * 1024
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and .doc) files
BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"SQLite format")


@dataclass(frozen=True)
class TableRow:
    """One data row: its spreadsheet row number and one value per header."""

    number: int
    values: list[str]


@dataclass(frozen=True)
class Table:
    """The content of a file: the header texts and the non-empty data rows."""

    headers: list[str]
    rows: list[TableRow]
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """Read ``path`` (CSV or XLSX) into a :class:`Table`.

    A file with a header but no data rows is returned with no rows; the caller
    decides what that means.

    Raises:
        UserError: the file is missing, a folder, locked, empty, or not a CSV or
            XLSX file that can be read; or ``sheet`` does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise UserError(N_("The file {path} does not exist."), path=str(path))
    if path.is_dir():
        raise UserError(N_("{path} is a folder, not a file."), path=str(path))
    data = _read_bytes(path)
    if not data.strip():
        raise UserError(N_("The file {path} is empty."), path=str(path))
    if data.startswith(OLE_MAGIC):
        raise UserError(
            N_(
                "The file {path} is an old Excel file (.xls). Save it as .xlsx or .csv "
                "and import that file."
            ),
            path=str(path),
        )
    if data.startswith(ZIP_MAGIC) or path.suffix.lower() in XLSX_SUFFIXES:
        table = _read_xlsx(path, data, sheet)
    else:
        table = _read_csv(path, data)
    if not table.headers:
        raise UserError(N_("The file {path} is empty."), path=str(path))
    return table


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise _locked(path) from exc
    except OSError as exc:
        raise UserError(
            N_("The file {path} cannot be read: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc


def _locked(path: Path) -> UserError:
    return UserError(
        N_(
            "The file {path} cannot be opened: another program (Excel?) has it open, or "
            "you have no permission to read it. Close it and try again."
        ),
        path=str(path),
    )


def _unreadable(path: Path) -> UserError:
    return UserError(
        N_(
            "The file {path} is not a CSV or XLSX file that can be read. Export the list "
            "from the client system as CSV or XLSX and try again."
        ),
        path=str(path),
    )


# --- CSV --------------------------------------------------------------------------


def _read_csv(path: Path, data: bytes) -> Table:
    if data.startswith(BINARY_MAGICS) or b"\x00" in data[:SNIFF_BYTES]:
        raise _unreadable(path)
    text, encoding = _decode(path, data)
    if _looks_binary(text[:SNIFF_BYTES]):
        raise _unreadable(path)
    first, _, rest = text.partition("\n")
    hint = first.rstrip("\r")
    if hint.lower().startswith("sep=") and len(hint) == 5:  # Excel's "sep=;" line: not a row
        delimiter, text = hint[4], rest
    else:
        delimiter = _guess_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        records = [[unquote_text(cell.strip()) for cell in record] for record in reader]
    except csv.Error as exc:
        raise _unreadable(path) from exc
    headers, rows = _assemble(enumerate(records, start=1))
    return Table(headers, rows, "csv", encoding, delimiter)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise _unreadable(path) from exc


def _looks_binary(sample: str) -> bool:
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return control > max(2, len(sample) // 100)


def _guess_delimiter(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    header = next((line for line in sample.splitlines() if line.strip()), "")
    counted = max(DELIMITERS, key=header.count) if header else ";"
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return counted if header.count(counted) else ";"
    # The sniffer can be misled by commas inside values; the header line decides then.
    if header.count(sniffed) == 0 or header.count(counted) > header.count(sniffed):
        return counted
    return sniffed


# --- XLSX -------------------------------------------------------------------------


def _read_xlsx(path: Path, data: bytes, sheet: str | None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError) as exc:
        raise _unreadable(path) from exc
    except Exception as exc:  # damaged XML or deflate data: openpyxl raises anything
        raise _unreadable(path) from exc
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise UserError(
                N_("The file {path} has no sheet called {sheet}. Its sheets are: {sheets}."),
                path=str(path),
                sheet=sheet,
                sheets=", ".join(names),
            )
        if not names:
            raise UserError(N_("The file {path} is empty."), path=str(path))
        worksheet = workbook[sheet if sheet is not None else names[0]]
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()  # a wrong stored size must not cut rows off
        try:
            records = [
                [cell_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)
            ]
        except Exception as exc:  # a damaged sheet is parsed only here (read-only mode)
            raise _unreadable(path) from exc
    finally:
        workbook.close()
    headers, rows = _assemble(enumerate(records, start=1))
    return Table(headers, rows, "xlsx", None, None)


def cell_text(value: Any) -> str:
    """A spreadsheet cell's value as the text it was meant to be.

    Integral floats lose their ``.0`` (a klantnummer 1002300.0 is "1002300"), dates
    become ``jjjj-mm-dd`` and empty cells "".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()


# --- shared -----------------------------------------------------------------------


def _assemble(records: Iterable[tuple[int, Sequence[str]]]) -> tuple[list[str], list[TableRow]]:
    """The first non-empty record is the header; empty records are skipped."""
    iterator: Iterator[tuple[int, Sequence[str]]] = iter(records)
    headers: list[str] = []
    for _number, record in iterator:
        if any(record):
            headers = _trim(list(record))
            break
    width = len(headers)
    rows: list[TableRow] = []
    for number, record in iterator:
        if not any(record):
            continue
        values = list(record[:width])
        if len(values) < width:
            values += [""] * (width - len(values))
        rows.append(TableRow(number, values))
    return headers, rows


def _trim(headers: list[str]) -> list[str]:
    """Drop empty header cells at the end (trailing separators, formatted empty cells)."""
    while headers and not headers[-1]:
        headers.pop()
    return headers


def sheet_names(path: Path) -> list[str]:
    """The sheets of an XLSX file (empty for any other file)."""
    if path.suffix.lower() != ".xlsx":
        return []
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(_read_bytes(path)), read_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        TypeError,
        OSError,
    ) as exc:
        raise _unreadable(path) from exc
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()
