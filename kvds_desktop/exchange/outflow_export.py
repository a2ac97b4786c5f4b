"""Exporting outflow (uitstroom) with its follow-up checks for the municipality: CSV or XLSX.

One row per outflow: klantnummer, name, municipality, kind, date, employer, function,
hours per week, contract, benefit after outflow, note, and per follow-up check (1, 3, 6
and 12 months) the due date, the date checked, whether the candidate was still out and
the benefit then. CSV is ``;`` separated, UTF-8 with BOM, header row, dates
``jjjj-mm-dd``; XLSX by the file's extension. Never the BSN.

The rows are :class:`OutflowRow` values: the outflow services make them and hand them out
(the Uitstroom page shows the same rows), so this module reads no database and knows no
services. Kinds and benefits are written as their stored codes, which the municipality's
systems map; yes/no in the language asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kvds_desktop.errors import N_
from kvds_desktop.exchange.attendance_export import _write as write_table
from kvds_desktop.exchange.candidate_export import export_format
from kvds_desktop.exchange.files import atomic_write
from kvds_desktop.i18n import Translator

SHEET_TITLE = "Uitstroom"
MONTHS: tuple[int, ...] = (1, 3, 6, 12)
HEADERS: tuple[str, ...] = (
    "klantnummer", "naam", "gemeente", "soort uitstroom", "datum uitstroom", "werkgever",
    "functie", "uren per week", "contract", "uitkering na uitstroom", "opmerking",
)  # fmt: skip
FOLLOW_UP_HEADERS: tuple[str, ...] = (
    "nazorg {month} mnd gepland", "nazorg {month} mnd gecontroleerd",
    "nazorg {month} mnd nog uitgestroomd", "nazorg {month} mnd uitkering",
)  # fmt: skip


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up check of an outflow: when due, and what was found (None: not yet)."""

    uid: str
    outflow_uid: str
    candidate_uid: str
    candidate_name: str
    klantnummer: str
    kind: str  # the outflow's OutflowKind code
    outflow_date: date
    employer: str
    month: int
    due_date: date
    checked_on: date | None
    still_out: bool | None
    benefit: str | None  # a BenefitAfterOutflow code at the check; None: not recorded
    note: str

    def overdue(self, today: date) -> bool:
        """Whether the check is not done and its due date has passed."""
        return self.checked_on is None and self.due_date < today


@dataclass(frozen=True)
class OutflowRow:
    """An outflow with the candidate, the job or school, and the follow-up results."""

    uid: str
    candidate_uid: str
    candidate_name: str
    klantnummer: str
    municipality: str
    kind: str  # an OutflowKind code
    day: date
    employer: str
    function: str
    hours_per_week: int | None
    contract: str
    benefit_after: str  # a BenefitAfterOutflow code
    note: str
    follow_ups: tuple[FollowUpRow, ...]

    def follow_up(self, month: int) -> FollowUpRow | None:
        """The check at ``month`` months, if planned."""
        return next((f for f in self.follow_ups if f.month == month), None)


def headers() -> list[str]:
    """The header row: the outflow's fields, then four columns per follow-up month."""
    per_month = [h.format(month=month) for month in MONTHS for h in FOLLOW_UP_HEADERS]
    return [*HEADERS, *per_month]


def _values(row: OutflowRow, tr: Translator) -> list[Any]:
    values: list[Any] = [
        row.klantnummer, row.candidate_name, row.municipality, row.kind, row.day, row.employer,
        row.function, row.hours_per_week if row.hours_per_week is not None else "",
        row.contract, row.benefit_after, row.note,
    ]  # fmt: skip
    by_month = {cell.month: cell for cell in row.follow_ups}
    for month in MONTHS:
        cell = by_month.get(month)
        if cell is None:
            values += ["", "", "", ""]
            continue
        out = "" if cell.still_out is None else tr._(N_("yes") if cell.still_out else N_("no"))
        values += [cell.due_date, cell.checked_on or "", out, cell.benefit or ""]
    return values


def export_outflow(rows: Sequence[OutflowRow], out: Path, *, language: str = "nl") -> int:
    """Write ``rows`` to ``out`` (CSV or XLSX by extension); returns the rows written.

    ``language`` ("nl" or "en") is the language of yes/no.

    Raises:
        UserError: an extension other than .csv or .xlsx, or the file cannot be written
            (read-only folder, file open in another program, disk full); no partial file
            is left and an existing file keeps its content.
    """
    out = Path(out).expanduser()
    kind = export_format(out)
    tr = Translator.for_language(language)
    data = [_values(row, tr) for row in rows]

    def write(target: Path) -> None:
        write_table(kind, target, headers(), data, SHEET_TITLE)

    atomic_write(out, write)
    return len(data)
