"""Exporting candidates for the municipality: CSV (``;``, UTF-8 with BOM) or XLSX.

The columns carry the same Dutch header names the import recognises, and values are
written in the forms the import reads back, so an exported file imports again as
"unchanged". The BSN is written only when asked for. Files are written next to the
target and moved over it at the end, so a failure never leaves half a file.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Collection
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlmodel import SQLModel

import kvds_desktop.store.models  # noqa: F401 - registers every table
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.candidate_fields import DATE_FIELDS, FIELDS, export_text
from kvds_desktop.exchange.cells import safe_text, set_text
from kvds_desktop.exchange.files import atomic_write
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
TEXT_FIELDS = frozenset({"klantnummer", "bsn", "phone", "postcode"})
SHEET_TITLE = "Kandidaten"
MAX_WIDTH = 50


def export_format(out: Path) -> str:
    """ "csv" or "xlsx" from the file name.

    Raises:
        UserError: another extension.
    """
    found = FORMATS.get(Path(out).suffix.lower())
    if found is None:
        raise UserError(
            N_("Cannot export to {path}: use a file name ending in .csv or .xlsx."),
            path=str(out),
        )
    return found


def export_candidates(
    db: Database,
    out: Path,
    *,
    include_bsn: bool = False,
    uids: Collection[str] | None = None,
    actor: str | None = None,
    device: str = "",
) -> int:
    """Write the candidates (all active ones, or those in ``uids``) to ``out``.

    Returns the number of candidate rows written. With ``actor`` the export is
    recorded in the audit trail (file name, rows, whether BSNs were included).

    Raises:
        UserError: unknown extension, or the file cannot be written (read-only folder,
            file open in another program, disk full); no partial file is left.
        StorageError: the database cannot be read.
    """
    out = Path(out).expanduser()
    kind = export_format(out)
    fields = [spec for spec in FIELDS if include_bsn or spec.name != "bsn"]
    with db.session() as session:
        records = _records(session.connection(), uids)
    headers = [spec.header for spec in fields]
    rows = [[record.get(spec.name, "") for spec in fields] for record in records]
    names = [spec.name for spec in fields]
    if kind == "csv":
        atomic_write(out, lambda target: _write_csv(target, headers, names, rows))
    else:
        atomic_write(out, lambda target: _write_xlsx(target, headers, names, rows))
    if actor is not None:
        _audit(db, out, len(rows), include_bsn, actor, device)
    return len(rows)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _records(conn: Connection, uids: Collection[str] | None) -> list[dict[str, str]]:
    """Every active candidate's export values by field name (stored forms)."""
    c, km, pip = _table("candidate"), _table("klantmanager"), _table("pip_version")
    managers = {
        int(kid): (str(name or ""), str(email or ""))
        for kid, name, email in conn.execute(select(km.c.id, km.c.name, km.c.email))
    }
    first_pip: dict[int, str] = {}
    for cid, day in conn.execute(
        select(pip.c.candidate_id, pip.c.decision_date).order_by(
            pip.c.candidate_id, pip.c.version.desc(), pip.c.id.desc()
        )
    ):
        first_pip[int(cid)] = _text(day)
    columns = [spec.name for spec in FIELDS if spec.name in c.c]
    wanted = set(uids) if uids is not None else None
    query = (
        select(c.c.id, c.c.uid, c.c.klantmanager_id, *(c.c[name] for name in columns))
        .where(c.c.merged_into_id.is_(None))
        .order_by(c.c.achternaam, c.c.voornamen, c.c.id)
    )
    records: list[dict[str, str]] = []
    for row in conn.execute(query):
        if wanted is not None and row.uid not in wanted:
            continue
        mapping = row._mapping
        record = {name: export_text(name, _text(mapping[name])) for name in columns}
        manager = managers.get(int(row.klantmanager_id)) if row.klantmanager_id else None
        record["klantmanager"], record["klantmanager_email"] = manager or ("", "")
        record["pip_date"] = first_pip.get(int(row.id), "")
        records.append(record)
    return records


def _write_csv(target: Path, headers: list[str], names: list[str], rows: list[list[str]]) -> None:
    del names  # every value is text in a CSV file
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([safe_text(value) for value in row] for row in rows)
        handle.flush()
        os.fsync(handle.fileno())


def _write_xlsx(target: Path, headers: list[str], names: list[str], rows: list[list[str]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, header in enumerate(headers):
        longest = max([len(header), *(len(row[index]) for row in rows)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(MAX_WIDTH, longest + 2)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    dates = [name in DATE_FIELDS for name in names]
    texts = [name in TEXT_FIELDS for name in names]
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if dates[index] and value:
                cell = WriteOnlyCell(sheet, value=date.fromisoformat(value))
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = WriteOnlyCell(sheet, value=value or None)
                if value:
                    set_text(cell, value)  # text from a file is never a formula
                if texts[index]:
                    cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(str(target))
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())


def _audit(db: Database, out: Path, rows: int, include_bsn: bool, actor: str, device: str) -> None:
    details = {"file": out.name, "rows": rows, "bsn": include_bsn}
    audit = _table("audit_entry")
    with db.session() as session:
        session.connection().execute(
            audit.insert().values(
                uid=new_uid(), at=datetime.now(UTC), actor=actor[:120], device=device[:120],
                action="export.candidates", table_name="candidate", record_uid="",
                old_values="", new_values=json.dumps(details, sort_keys=True), result="ok",
            )
        )  # fmt: skip
