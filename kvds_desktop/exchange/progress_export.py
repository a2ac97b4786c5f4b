"""Exporting language progress for the municipality (voortgangsrapportage): CSV or XLSX.

One row per candidate: klantnummer, name, law, route, target level, term end, hours
followed (of which in person), whether afschalen is possible, the overall outlook, and
per exam skill the latest level, its outlook and the date the forecast reaches the
target. CSV is ``;`` separated, UTF-8 with BOM, header row, dates ``jjjj-mm-dd``; XLSX
by the file's extension. Never the BSN.

The rows come in as :class:`ProgressExportRow` (the progress services make them from
their summaries), so this module reads no database and knows no services. Headers are
the Dutch field names the municipality's systems map; law, route and levels are written
as in the candidate export; outlooks and yes/no in the language asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kvds_desktop.domain.progress import EXAM_SKILLS, OUTLOOK_LABEL, Forecast
from kvds_desktop.errors import N_
from kvds_desktop.exchange.attendance_export import _write as write_table
from kvds_desktop.exchange.candidate_export import export_format
from kvds_desktop.exchange.candidate_fields import export_text
from kvds_desktop.exchange.files import atomic_write
from kvds_desktop.i18n import Translator

SHEET_TITLE = "Voortgang"
HEADERS: tuple[str, ...] = (
    "klantnummer", "naam", "wet", "leerroute", "streefniveau", "einde inburgeringstermijn",
    "uren gevolgd", "uren fysiek gevolgd", "afschalen mogelijk", "verwachting",
)  # fmt: skip
SKILL_HEADERS: tuple[str, ...] = ("{skill} niveau", "{skill} verwachting", "{skill} prognose")


@dataclass(frozen=True)
class ProgressExportRow:
    """What the progress export writes of one candidate."""

    klantnummer: str
    name: str
    law: str  # a Law code
    route: str  # a Route code ("" when none)
    target: str | None  # a Level code
    term_end: date | None
    hours_followed: float
    hours_in_person: float
    afschalen_possible: bool
    worst: str  # an Outlook code, over the exam skills
    forecasts: tuple[Forecast, ...]  # per skill: latest level, outlook, reach date


def headers() -> list[str]:
    """The header row: the candidate's fields, then three columns per exam skill (the skill
    codes are the Dutch names: ``lezen niveau``, ``lezen verwachting``, ``lezen prognose``)."""
    per_skill = [h.format(skill=skill.value) for skill in EXAM_SKILLS for h in SKILL_HEADERS]
    return [*HEADERS, *per_skill]


def _values(row: ProgressExportRow, tr: Translator) -> list[Any]:
    def outlook(code: str) -> str:
        return tr._(OUTLOOK_LABEL.get(code, code))

    by_skill = {f.skill: f for f in row.forecasts}
    values: list[Any] = [
        row.klantnummer, row.name, export_text("law", row.law), export_text("route", row.route),
        export_text("target_level", row.target or ""), row.term_end or "",
        round(row.hours_followed, 2), round(row.hours_in_person, 2),
        tr._(N_("yes")) if row.afschalen_possible else tr._(N_("no")), outlook(row.worst),
    ]  # fmt: skip
    for skill in EXAM_SKILLS:
        f = by_skill.get(skill.value)
        if f is None:
            values += ["", "", ""]
            continue
        latest = export_text("target_level", f.latest or "")
        values += [latest, outlook(f.outlook), f.reach_date or ""]
    return values


def export_progress(rows: Sequence[ProgressExportRow], out: Path, *, language: str) -> int:
    """Write ``rows`` to ``out`` (CSV or XLSX by extension); returns the rows written.

    ``language`` ("nl" or "en") is the language of the outlook words and of yes/no.

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
