"""Clearing one person's data per retention category, and the audit values about it.

Each function takes the person (their candidate record and any merged into it) and
the rows :mod:`.reach` found about them, clears what its category covers, replaces the
cleared fields' values in the audit entries by ``[cleared]``, and returns identifiers
(names, client numbers, BSNs) that must still be scrubbed from free texts elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select, update

from kvds_desktop.domain.names import display_name
from kvds_desktop.services.privacy import reach as r
from kvds_desktop.store import migrate

Rows = dict[str, list[dict[str, Any]]]
CLEARED = "[cleared]"
ANONYMOUS_FIRST = "Anoniem"
# The candidate's fields an anonymised record no longer holds, and what takes their place.
PERSONAL_FIELDS: dict[str, Any] = {
    "klantnummer": None,
    "bsn": None,
    "tussenvoegsel": "",
    "birth_date": None,
    "nationality": "",
    "phone": "",
    "email": "",
    "address": "",
    "postcode": "",
    "aandachtspunten": "",
}
MARK_TEXTS = ("reason", "note")
PROFILE_TABLES = ("work_profile", "employer_consent")
NOTE_TEXTS = ("note", "exemption_reason")


@dataclass
class Person:
    """A candidate whose programme ended, with the records merged into them."""

    id: int
    uid: str
    name: str
    ended_on: date
    ids: list[int]
    uids: list[str]


def note_columns(found: r.Reach) -> list[tuple[str, str]]:
    """(table, column) of the free-text notes on a candidate's records (not marks)."""
    pairs = []
    for name in found.tables:
        if name in ("attendance_mark", "mark_fact", "candidate_note", *PROFILE_TABLES):
            continue
        table = migrate.METADATA.tables[name]
        pairs += [(name, c) for c in NOTE_TEXTS if c in table.c]
    return [*pairs, ("term_extension", "reason")]


def clear_audit_fields(conn: Connection, record_uids: list[str], keys: set[str]) -> None:
    """Replace the values of ``keys`` in the audit entries of ``record_uids`` by [cleared]."""
    audit = migrate.METADATA.tables[r.AUDIT]
    for part in r._chunks(record_uids):
        for row in conn.execute(
            select(audit.c.id, audit.c.old_values, audit.c.new_values).where(
                audit.c.record_uid.in_(part)
            )
        ).all():
            values = {}
            for column, text in (("old_values", row.old_values), ("new_values", row.new_values)):
                try:
                    data = json.loads(text) if text else {}
                except ValueError:
                    data = {}
                if isinstance(data, dict) and keys & data.keys():
                    values[column] = json.dumps(
                        {
                            k: (CLEARED if k in keys and v not in (None, "") else v)
                            for k, v in data.items()
                        },
                        ensure_ascii=False,
                        sort_keys=True,
                    )
            if values:
                conn.execute(update(audit).where(audit.c.id == row.id).values(**values))


def clear_notes(
    conn: Connection, person: Person, owned: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """Delete the notes, clear the aandachtspunten and every note on the person's records."""
    md = migrate.METADATA.tables
    conn.execute(
        md["candidate_note"].delete().where(md["candidate_note"].c.candidate_id.in_(person.ids))
    )
    conn.execute(
        md["candidate"]
        .update()
        .where(md["candidate"].c.id.in_(person.ids))
        .values(aandachtspunten="")
    )
    clear_audit_fields(conn, person.uids, {"aandachtspunten", "note", "text"})
    for table_name, column in note_columns(r.candidate_reach(migrate.METADATA)):
        rows = [row for row in owned.get(table_name, []) if row.get(column)]
        table = md[table_name]
        for part in r._chunks([row["id"] for row in rows]):
            conn.execute(table.update().where(table.c.id.in_(part)).values({column: ""}))
        clear_audit_fields(conn, [row["uid"] for row in rows], {column})
    return []


def clear_absence_reasons(
    conn: Connection, person: Person, owned: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """Clear the reason and note of the person's marks (the marks stay)."""
    md = migrate.METADATA.tables
    for name in ("attendance_mark", "mark_fact"):
        table = md[name]
        rows = [row for row in owned.get(name, []) if any(row.get(c) for c in MARK_TEXTS)]
        for part in r._chunks([row["id"] for row in rows]):
            conn.execute(table.update().where(table.c.id.in_(part)).values(reason="", note=""))
        clear_audit_fields(conn, [row["uid"] for row in rows], set(MARK_TEXTS))
    return []


def delete_profiles(
    conn: Connection, person: Person, owned: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """Delete the person's work profile and consents to share it."""
    md = migrate.METADATA.tables
    for name in PROFILE_TABLES:
        md_table = md[name]
        conn.execute(md_table.delete().where(md_table.c.candidate_id.in_(person.ids)))
        clear_audit_fields(
            conn, [row["uid"] for row in owned.get(name, [])], {c.name for c in md_table.columns}
        )
    profile_fields = {c.name for c in md["work_profile"].columns} - {"id", "uid", "candidate_id"}
    clear_audit_fields(conn, person.uids, profile_fields)
    return []


def anonymise(
    conn: Connection, person: Person, owned: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """Apply the other categories, then replace the record's names and personal fields."""
    clear_notes(conn, person, owned)
    clear_absence_reasons(conn, person, owned)
    delete_profiles(conn, person, owned)
    md = migrate.METADATA.tables
    identifiers: list[str] = []
    for row in owned["candidate"]:
        name = display_name(row["voornamen"], row["tussenvoegsel"], row["achternaam"])
        identifiers += [v for v in (name, row["klantnummer"], row["bsn"]) if v]
        conn.execute(
            md["candidate"]
            .update()
            .where(md["candidate"].c.id == row["id"])
            .values(voornamen=ANONYMOUS_FIRST, achternaam=row["uid"][:8], **PERSONAL_FIELDS)
        )
    baseline = md["import_baseline"]
    conn.execute(baseline.delete().where(baseline.c.candidate_id.in_(person.ids)))
    clear_audit_fields(conn, person.uids, {"voornamen", "achternaam", *PERSONAL_FIELDS})
    return identifiers


# category: what clears it for one person
ACTIONS = {
    "notes": clear_notes,
    "absence_reasons": clear_absence_reasons,
    "work_profiles": delete_profiles,
    "anonymise": anonymise,
}
