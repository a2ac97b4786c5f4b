"""The klantmanager digest: one file per klantmanager with their candidates over a period.

One row per candidate: klantnummer, name, municipality, attendance over the period
(hours offered, followed, excused and unexcused absence, rate), the absence signals at
the end of the period, the language target with the latest level per exam skill and the
worst outlook, the running placements and the outflows in the period. CSV (``;``,
UTF-8 with BOM, header row, dates ``jjjj-mm-dd``) or XLSX. Never the BSN: a klantmanager
has it in the client system already.

The rows are :class:`~kvds_desktop.domain.digest.DigestRow` values made by
:mod:`kvds_desktop.services.digest`, with the signal texts already in the language asked
for; this module reads no database. The PDF of the same rows is drawn by
:mod:`kvds_desktop.reports.digest_report`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from kvds_desktop.domain.digest import SKILLS, DigestRow
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.attendance_export import _write as write_table
from kvds_desktop.exchange.files import atomic_write

SHEET_TITLE = "Overzicht"
FORMATS: tuple[str, ...] = ("pdf", "xlsx", "csv")  # the PDF: reports.digest_report
HEADERS: tuple[str, ...] = (
    "klantnummer", "naam", "gemeente", "wet", "leerroute", "uren aangeboden", "uren gevolgd",
    "uren afwezig met bericht", "uren afwezig zonder bericht", "aanwezigheid %", "signalen",
    "streefniveau", *(f"niveau {skill}" for skill in SKILLS), "vooruitzicht", "einde termijn",
    "plaatsingen", "uitstroom",
)  # fmt: skip


def check_format(fmt: str) -> str:
    """The digest format, lower case.

    Raises:
        UserError: not one of pdf, xlsx or csv.
    """
    found = (fmt or "").strip().lower()
    if found not in FORMATS:
        raise UserError(
            N_("The digest cannot be written as {format}: choose pdf, xlsx or csv."), format=fmt
        )
    return found


def slug(text: str) -> str:
    """``text`` as safe file-name characters (a-z, 0-9 and ``-``)."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "onbekend"


def digest_file_name(klantmanager: str, municipality: str, start: date, end: date,
                     fmt: str) -> str:  # fmt: skip
    """``overzicht-<klantmanager>-<gemeente>-<start>-<end>.<fmt>`` in safe characters."""
    return (f"overzicht-{slug(klantmanager)}-{slug(municipality)}-{start.isoformat()}-"
            f"{end.isoformat()}.{fmt}")  # fmt: skip


def _values(row: DigestRow) -> list[Any]:
    return [
        row.klantnummer, row.name, row.municipality, row.law, row.route,
        round(row.hours_offered, 2), round(row.hours_followed, 2), round(row.hours_excused, 2),
        round(row.hours_unexcused, 2), "" if row.rate is None else round(row.rate * 100, 1),
        " | ".join(row.signals), row.target, *row.levels, row.outlook, row.term_end or "",
        " | ".join(row.placements), " | ".join(row.outflows),
    ]  # fmt: skip


def write_digest_file(rows: Sequence[DigestRow], out: Path, fmt: str) -> Path:
    """Write one klantmanager's rows to ``out`` as ``fmt`` (xlsx or csv); returns ``out``.

    Raises:
        UserError: an unknown format; the file cannot be written (no partial file is left).
    """
    kind = check_format(fmt)
    if kind not in ("xlsx", "csv"):
        raise UserError(N_("The digest cannot be written as {format}: choose xlsx or csv."),
                        format=fmt)  # fmt: skip
    data = [_values(row) for row in rows]

    def write(target: Path) -> None:
        write_table(kind, target, HEADERS, data, SHEET_TITLE)

    atomic_write(Path(out), write)
    return Path(out)
