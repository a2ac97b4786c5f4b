"""Turning the rows of a data-subject export into the sections of its PDF.

Internal ids are left out; a column that points at another row shows what that row is
(a lesson as its date, times and group, a placement as its kind and start); columns that
are empty in every row are left out, so the tables stay readable on A4 portrait.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from kvds_desktop.i18n import Translator
from kvds_desktop.reports.subject_report import SubjectDocument, SubjectSection
from kvds_desktop.services.privacy.column_titles import COLUMN_TITLES
from kvds_desktop.services.privacy.headings import HEADINGS, UNKNOWN_HEADING
from kvds_desktop.store import migrate

Rows = dict[str, list[dict[str, Any]]]
_HIDDEN = frozenset({"id", "uid"})
# Columns that point at another table without a foreign key (summaries kept by triggers).
_UNLINKED = {("attendance_month", "status_id"): "attendance_status"}


def _text(value: Any, tr: Translator) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return tr._("yes") if value else tr._("no")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and value.startswith("{"):
        return _values(value)
    return str(value)


def _values(text: str) -> str:
    """Audit values (a JSON object) as 'field: value' lines; other text as it is."""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if not isinstance(data, dict):
        return text
    return "\n".join(
        f"{key}: {json.dumps(value, ensure_ascii=False).strip(chr(34))}"
        for key, value in data.items()
    )


class _Labels:
    """Short descriptions of rows, found by table and key, for columns that point at them."""

    def __init__(self, tables: Rows, context: Rows, tr: Translator) -> None:
        self.rows: dict[tuple[str, Any], dict[str, Any]] = {}
        for group in (tables, context):
            for name, rows in group.items():
                key = _key(name)
                for row in rows:
                    self.rows[(name, row.get(key))] = row
        self.tr = tr

    def label(self, table: str, value: Any, depth: int = 0) -> str:
        """What the row ``value`` of ``table`` is, in a few words (its name when it has one)."""
        row = self.rows.get((table, value))
        if row is None:
            return ""
        for names in (
            ("name",),
            ("title",),
            ("code", f"label_{self.tr.language}"),
            (f"name_{self.tr.language}",),
        ):
            if all(row.get(n) for n in names):
                return " · ".join(str(row[n]) for n in names)
        parts: list[str] = []
        named = ""
        for column, cell in row.items():
            if column in _HIDDEN or cell in (None, "") or _points_at_candidate(table, column):
                continue
            target = _target(table, column)
            if target is None and len(parts) < 3:
                parts.append(_text(cell, self.tr))
            elif target is not None and not named and depth == 0:
                named = self.label(target, cell, depth + 1)
        return " · ".join(p for p in [*parts, named] if p)


def _points_at_candidate(table: str, column: str) -> bool:
    return column in ("candidate_id", "candidate_uid") or _target(table, column) == "candidate"


def _key(table: str) -> str:
    return next(iter(migrate.METADATA.tables[table].primary_key.columns)).name


def _target(table: str, column: str) -> str | None:
    found = migrate.METADATA.tables[table].c.get(column)
    if found is None:
        return None
    if (table, column) in _UNLINKED:
        return _UNLINKED[(table, column)]
    for fk in found.foreign_keys:
        return str(fk.column.table.name)
    return None


def _section(
    name: str, rows: list[dict[str, Any]], labels: _Labels, heading: tuple[str, str]
) -> SubjectSection:
    columns = [c for c in rows[0] if c not in _HIDDEN and not _points_at_candidate(name, c)]
    shown: list[tuple[str, ...]] = []
    for row in rows:
        cells = []
        for column in columns:
            target = _target(name, column)
            value = row.get(column)
            if target is not None:
                cells.append(labels.label(target, value) or _text(value, labels.tr))
            else:
                cells.append(_text(value, labels.tr))
        shown.append(tuple(cells))
    keep = [i for i, c in enumerate(columns) if name == "candidate" or any(r[i] for r in shown)]
    titles = tuple(_title(columns[i], labels.tr) for i in keep)
    return SubjectSection(
        heading[0], heading[1], titles, tuple(tuple(r[i] for i in keep) for r in shown)
    )


def _title(column: str, tr: Translator) -> str:
    for suffix in ("_id", "_uid"):
        if column.endswith(suffix):
            column = column[: -len(suffix)]
    plain = column.replace("_", " ")
    return tr._(COLUMN_TITLES[plain]) if plain in COLUMN_TITLES else plain


def document_of(
    name: str,
    klantnummer: str,
    uid: str,
    made_on: date,
    tables: Rows,
    context: Rows,
    tr: Translator,
) -> SubjectDocument:
    """The PDF's plain values: one section per kind of data, then what the rows refer to."""
    labels = _Labels(tables, context, tr)
    order = list(HEADINGS)
    tables_in_order = sorted(
        (t for t in tables if tables[t]),
        key=lambda t: (t == "audit_entry", order.index(t) if t in order else len(order)),
    )
    sections = tuple(
        _section(table, tables[table], labels, HEADINGS.get(table, UNKNOWN_HEADING))
        for table in tables_in_order
    )
    return SubjectDocument(name, klantnummer, uid, made_on, sections)
