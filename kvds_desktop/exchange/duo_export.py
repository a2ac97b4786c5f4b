"""The DUO monthly contract file (Wi2013 cohorts): one CSV per month for DUO.

File name ``<BOW-nummer>Aanlevering<jjjjmmdd>.csv`` (the BOW number is the learning
location's number at DUO, the date the day the file is made); ``;`` separated, UTF-8
(without a BOM, DUO reads plain UTF-8), a header row, dates ``jjjj-mm-dd``, hours with a
decimal comma. One row per candidate per month with the BSN, because DUO needs it to
match the candidate's loan: this is the only export that carries the BSN.

The rows are :class:`DuoRow` values made by :mod:`kvds_desktop.services.duo`; this
module reads no database. A row whose BSN is missing or fails the 11-proef carries a
``problem`` and is not written: DUO would reject it, and the caller lists it to the
coordinator instead (see :func:`problem_rows`).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.files import atomic_write

HEADERS: tuple[str, ...] = (
    "bsn", "soort cursus", "begindatum", "einddatum", "uren ingekocht", "uren gevolgd",
    "uren ona",
)  # fmt: skip
BOW_PATTERN = re.compile(r"^[0-9]{1,12}$")
NO_BSN = N_("No BSN is recorded.")
BAD_BSN = N_("The BSN fails the 11-check.")


@dataclass(frozen=True)
class DuoRow:
    """One candidate's course in one month, as DUO is told about it.

    ``bsn`` is the normalised BSN ("" when none); ``problem`` an English msgid (empty
    when the row can be sent).
    """

    candidate_uid: str
    name: str
    klantnummer: str
    bsn: str
    course_kind: str  # "NT2" (language, KNM, literacy; ONA hours may be included) or "ONA"
    start_date: date
    end_date: date | None  # None: the course has no end date yet
    hours_bought: float
    hours_attended: float
    ona_hours: float
    problem: str = ""


def check_bow(bow: str) -> str:
    """The BOW number without surrounding spaces.

    Raises:
        UserError: not a number of 1 to 12 digits.
    """
    compact = (bow or "").strip()
    if not BOW_PATTERN.match(compact):
        raise UserError(
            N_("The BOW number {bow} is not valid: use only digits (at most 12), as DUO gave it."),
            bow=bow,
        )
    return compact


def duo_file_name(bow: str, made_on: date) -> str:
    """``<BOW-nummer>Aanlevering<jjjjmmdd>.csv``.

    Raises:
        UserError: the BOW number is not valid.
    """
    return f"{check_bow(bow)}Aanlevering{made_on.strftime('%Y%m%d')}.csv"


def problem_rows(rows: Sequence[DuoRow]) -> list[DuoRow]:
    """The rows that cannot be sent (no valid BSN): to be listed, not silently dropped."""
    return [row for row in rows if row.problem]


def _hours(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def write_duo_file(rows: Sequence[DuoRow], out_dir: Path, bow: str, made_on: date) -> Path:
    """Write the rows without a problem to ``out_dir/<bow>Aanlevering<made_on>.csv``.

    Rows with a problem are left out of the file; :func:`problem_rows` gives them.

    Raises:
        UserError: the BOW number is not valid; the folder does not exist or the file
            cannot be written (no partial file is left).
    """
    name = duo_file_name(bow, made_on)
    folder = Path(out_dir).expanduser()
    if not folder.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=str(folder))
    out = folder / name
    data = [
        [row.bsn, row.course_kind, row.start_date.isoformat(),
         row.end_date.isoformat() if row.end_date else "", _hours(row.hours_bought),
         _hours(row.hours_attended), _hours(row.ona_hours)]
        for row in rows
        if not row.problem
    ]  # fmt: skip

    def write(target: Path) -> None:
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(HEADERS)
            writer.writerows(data)
            handle.flush()
            os.fsync(handle.fileno())

    atomic_write(out, write)
    return out
