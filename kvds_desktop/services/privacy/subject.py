"""Data-subject access: everything the database holds about one candidate, and nothing else.

:func:`subject_export` collects the candidate's record with the BSN in full (the export
is for the person themself), every row about them (see :mod:`.reach`), the audit entries
of those rows, and the describing columns of what the rows point at (a lesson's date, a
group's name). Any other candidate's uid, client number, BSN or name that appears in a
text is replaced by ``[another person]``, and references to other candidates are emptied.
:func:`export_subject_file` writes it as JSON or PDF and audits the export (for whom and
which kind of file, never the content).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, or_, select

from kvds_desktop.domain.names import display_name
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.files import check_target, write_bytes
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.subject_report import SubjectDocument, subject_pdf
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.privacy import reach as r
from kvds_desktop.services.privacy.sections import document_of
from kvds_desktop.services.scheduling.common import transaction, write_audit
from kvds_desktop.store import migrate
from kvds_desktop.store.database import Database

OTHER = "[another person]"


@dataclass(frozen=True)
class SubjectExport:
    """Everything about one person: their rows per table, audit entries, and context."""

    uid: str
    name: str
    klantnummer: str
    made_on: date
    tables: dict[str, list[dict[str, Any]]]  # owned tables and audit_entry, in reach order
    context: dict[str, list[dict[str, Any]]]  # describing columns of what rows point at

    def row_count(self) -> int:
        """The number of rows about the person (context rows not counted)."""
        return sum(len(rows) for rows in self.tables.values())


def audit_rows_about(conn: Connection, subject: r.Subject, uids: list[str]) -> list[dict[str, Any]]:
    """Audit entries of the person's rows, or whose values name the person's uid or number."""
    table = migrate.METADATA.tables[r.AUDIT]
    mentions = [i for i in [*subject.uids, *subject.klantnummers] if i]
    found = {row["id"]: row for row in r._select_in(conn, table, ["record_uid"], uids)}
    pattern = r.identity_pattern(mentions)
    for ident in mentions:
        like = f"%{ident}%"
        query = select(table).where(
            or_(table.c.old_values.like(like), table.c.new_values.like(like))
        )
        for row in conn.execute(query).mappings():
            if pattern and pattern.search(row["old_values"] + " " + row["new_values"]):
                found[row["id"]] = dict(row)
    return [found[k] for k in sorted(found)]


def _others(conn: Connection, table: Table, subject: r.Subject) -> list[str]:
    """Identifiers of every other candidate (not equal to one of the person's own)."""
    own = {i.casefold() for i in subject.identifiers()}
    texts: set[str] = set()
    query = select(
        table.c.uid,
        table.c.klantnummer,
        table.c.bsn,
        table.c.voornamen,
        table.c.tussenvoegsel,
        table.c.achternaam,
    ).where(table.c.id.not_in(subject.ids))
    for uid, number, bsn, first, middle, last in conn.execute(query):
        texts.update(v for v in (uid, number, bsn, display_name(first, middle, last)) if v)
    return [t for t in texts if t.casefold() not in own]


def _strings(rows: dict[str, list[dict[str, Any]]]) -> str:
    return "\n".join(
        v for rs in rows.values() for row in rs for v in row.values() if isinstance(v, str)
    )


def _redact(groups: list[dict[str, list[dict[str, Any]]]], others: list[str]) -> None:
    """Replace, in place, every other person's identifier found in a text value."""
    haystack = "\n".join(_strings(g) for g in groups).casefold()
    present = [t for t in others if t.casefold() in haystack]
    pattern = r.identity_pattern(present)
    if pattern is None:
        return
    for group in groups:
        for rows in group.values():
            for row in rows:
                for key, value in row.items():
                    if isinstance(value, str) and value:
                        row[key] = pattern.sub(OTHER, value)


def _foreign_candidates(owned: dict[str, list[dict[str, Any]]], subject: r.Subject) -> None:
    """Empty every column that points at a candidate who is not this person."""
    for name, rows in owned.items():
        table = migrate.METADATA.tables[name]
        columns = [
            c.name
            for c in table.columns
            if any(fk.column.table.name == r.CANDIDATE for fk in c.foreign_keys)
        ]
        for row in rows:
            for column in columns:
                if row.get(column) is not None and row[column] not in subject.ids:
                    row[column] = None


def collect(
    conn: Connection, subject: r.Subject
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """The person's rows per owned table plus audit entries, and the context rows."""
    metadata = migrate.METADATA
    found = r.candidate_reach(metadata)
    owned = r.owned_rows(conn, metadata, found, subject)
    uids = [row["uid"] for rows in owned.values() for row in rows if row.get("uid")]
    owned[r.AUDIT] = audit_rows_about(conn, subject, uids)
    context = r.context_rows(conn, metadata, found, owned)
    return owned, context


def subject_export(db: Database, candidate_ref: str, *, today: date) -> SubjectExport:
    """Everything the database holds about the candidate with uid or klantnummer ``ref``.

    Raises:
        UserError: no candidate has that uid or client number.
    """
    candidates = migrate.METADATA.tables[r.CANDIDATE]
    with db.engine.connect() as conn:
        subject = r.find_subject(conn, candidates, candidate_ref)
        owned, context = collect(conn, subject)
        others = _others(conn, candidates, subject)
    _foreign_candidates(owned, subject)
    _redact([owned, context], others)
    return SubjectExport(
        uid=subject.uids[0],
        name=subject.name,
        klantnummer=subject.klantnummers[0] if subject.klantnummers else "",
        made_on=today,
        tables={name: rows for name, rows in owned.items() if rows},
        context=context,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def subject_json(export: SubjectExport) -> dict[str, Any]:
    """The export as plain JSON values: one list of rows per table, dates as ISO text."""

    def rows(group: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        return {
            name: [{k: _plain(v) for k, v in row.items()} for row in rs]
            for name, rs in group.items()
        }

    return {
        "about": {"uid": export.uid, "name": export.name, "klantnummer": export.klantnummer},
        "made_on": export.made_on.isoformat(),
        "tables": rows(export.tables),
        "context": rows(export.context),
    }


def write_subject_json(export: SubjectExport, path: Path) -> Path:
    """Write the export as a JSON file (UTF-8, indented), whole or not at all."""
    data = json.dumps(subject_json(export), ensure_ascii=False, indent=2, sort_keys=False)
    return write_bytes(Path(path), data.encode("utf-8"))


def subject_document(export: SubjectExport, tr: Translator) -> SubjectDocument:
    """The plain values the PDF shows."""
    return document_of(
        export.name,
        export.klantnummer,
        export.uid,
        export.made_on,
        export.tables,
        export.context,
        tr,
    )


def write_subject_pdf(export: SubjectExport, path: Path, tr: Translator) -> Path:
    """Write the export as a readable PDF (A4 portrait), whole or not at all."""
    return write_bytes(Path(path), subject_pdf(subject_document(export, tr), tr))


def export_subject_file(
    db: Database,
    candidate_ref: str,
    out: Path,
    actor: Actor,
    *,
    today: date,
    tr: Translator | None = None,
    now: datetime | None = None,
) -> SubjectExport:
    """Export everything about a candidate to ``out`` (.json or .pdf) and audit the export.

    The audit entry says for whom (the candidate's uid) and which kind of file; it holds
    no personal content.

    Raises:
        UserError: unknown candidate, a file name that is not .json or .pdf, or a file
            that cannot be written.
    """
    out = Path(out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("json", "pdf"):
        raise UserError(N_("Give a file name ending in .json or .pdf: {path}"), path=str(out))
    check_target(out)
    export = subject_export(db, candidate_ref, today=today)
    if kind == "json":
        write_subject_json(export, out)
    else:
        write_subject_pdf(export, out, tr or Translator.for_language("en"))
    with transaction(db) as conn:
        write_audit(
            conn,
            [
                audit_row(
                    actor,
                    "privacy.export",
                    r.CANDIDATE,
                    export.uid,
                    new={"file_kind": kind, "rows": export.row_count()},
                    at=now,
                )
            ],
        )
    return export
