"""Writing a previewed import: one transaction, bulk statements, an audit entry per record.

The rows are compared with the database again inside the transaction: what changed
since the preview is not overwritten blindly (a candidate added in the meantime
rejects the row that would have created it; a field changed in the meantime becomes
a conflict that keeps the app's value unless the user chose otherwise).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, DateTime, bindparam, func, insert, select, text, update

from kvds_desktop.domain import rules
from kvds_desktop.domain.enums import CandidateStatus, Law
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.candidate_fields import DATE_FIELDS
from kvds_desktop.services.candidate_import.model import (
    NO_VALID_ROW,
    ImportPreview,
    ImportResult,
    PlannedRow,
    Rejection,
    shown,
)
from kvds_desktop.services.candidate_import.preview import rejection
from kvds_desktop.services.candidate_import.state import (
    COLUMN_FIELDS,
    AppCandidate,
    AppState,
    KlantmanagerRow,
    load_state,
    table,
)
from kvds_desktop.store.database import Database
from kvds_desktop.store.keys import reserve_ids
from kvds_desktop.store.models import new_uid

ADDED_SINCE = N_(
    "Row {row}: a candidate with this klantnummer or BSN was added in the app after the "
    "preview; preview the file again."
)
CHANGED_SINCE = N_(
    "Row {row}: the candidate of this row was changed, merged or removed in the app after "
    "the preview; preview the file again."
)
CHOICES = frozenset({"file", "app"})
UPSERT_BASELINE = text(
    "INSERT INTO import_baseline (candidate_id, field, value, source, imported_at) "
    "VALUES (:candidate_id, :field, :value, :source, :imported_at) "
    "ON CONFLICT (candidate_id, field) DO UPDATE SET "
    "value = excluded.value, source = excluded.source, imported_at = excluded.imported_at"
).bindparams(bindparam("imported_at", type_=DateTime()))
DEFAULT_LAW = Law.WI2021.value


def commit_import(
    db: Database,
    preview: ImportPreview,
    *,
    resolutions: Mapping[tuple[int, str], str] | None = None,
    actor: str,
    device: str,
    now: datetime,
    today: date | None = None,
) -> ImportResult:
    """Write the previewed import in one transaction.

    ``resolutions[(row, field)]`` is "file" or "app" for a conflict; a conflict without
    one keeps the app's value. New candidates are registered on ``today`` (default:
    the date of ``now``); ``now`` stamps the records (a naive time counts as local).

    Raises:
        UserError: the file has no valid row (nothing is written).
        StorageError: the database cannot be written (nothing is written).
    """
    if not preview.has_valid_rows:
        raise UserError(NO_VALID_ROW, source=preview.source)
    now = now.astimezone(UTC)  # a naive time is taken as local time
    choices = dict(resolutions or {})
    for key, choice in choices.items():
        if choice not in CHOICES:
            raise ValueError(f"resolution for {key} must be 'file' or 'app', not {choice!r}")
    with db.session() as session:
        conn = session.connection()
        writer = _Writer(conn, load_state(conn), preview.source, actor, device, now)
        for planned in preview.planned:
            writer.plan(planned, choices)
        writer.write(today or now.date())
    return writer.result(preview)


@dataclass
class _Update:
    candidate: AppCandidate
    row: int
    apply: dict[str, str]


@dataclass
class _Writer:
    conn: Connection
    state: AppState
    source: str
    actor: str
    device: str
    now: datetime
    creates: list[PlannedRow] = field(default_factory=list)
    updates: list[_Update] = field(default_factory=list)
    baselines: dict[int, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    rejections: list[Rejection] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    kept_app: int = 0
    taken_file: int = 0
    created_uids: list[str] = field(default_factory=list)

    # --- deciding -------------------------------------------------------------------

    def plan(self, planned: PlannedRow, choices: Mapping[tuple[int, str], str]) -> None:
        candidate, problem = self.state.match(planned.values)
        if problem is not None:
            self.rejections.append(rejection(planned.row, problem))
        elif planned.candidate_uid is None:
            if candidate is None:
                self.creates.append(planned)
            else:
                self.rejections.append(Rejection(planned.row, ADDED_SINCE, {"row": planned.row}))
        elif candidate is None or candidate.uid != planned.candidate_uid:
            self.rejections.append(Rejection(planned.row, CHANGED_SINCE, {"row": planned.row}))
        else:
            self._plan_update(planned, candidate, choices)

    def _plan_update(
        self,
        planned: PlannedRow,
        candidate: AppCandidate,
        choices: Mapping[tuple[int, str], str],
    ) -> None:
        diff = self.state.diff(planned.row, candidate, planned.values)
        apply = {change.field: change.new for change in diff.changes}
        baseline = {**diff.settled, **apply}
        for conflict in diff.conflicts:
            choice = choices.get((planned.row, conflict.field))
            if choice == "file":
                apply[conflict.field] = conflict.file_value
                baseline[conflict.field] = conflict.file_value
                self.taken_file += 1
            else:
                if choice == "app":  # decided: the same file value is no conflict again
                    baseline[conflict.field] = conflict.file_value
                self.kept_app += 1
        self.baselines[candidate.id].update(baseline)
        if apply:
            self.updates.append(_Update(candidate, planned.row, apply))
        else:
            self.unchanged += 1

    # --- writing --------------------------------------------------------------------

    def write(self, registration: date) -> None:
        self._create_klantmanagers()
        self._insert_candidates(registration)
        self._apply_updates()
        self._write_baselines()
        self.audits.append(  # the import itself: which file, and what it did
            {"uid": new_uid(), "at": self.now, "actor": self.actor[:120],
             "device": self.device[:120], "action": "import.file", "table_name": "import",
             "record_uid": "", "old_values": "",
             "new_values": _json({"source": self.source[:200],
                                  "created": str(len(self.creates)),
                                  "updated": str(len(self.updates)),
                                  "unchanged": str(self.unchanged)}),
             "result": "ok"}
        )  # fmt: skip
        self.conn.execute(insert(table("audit_entry")), self.audits)

    def _manager_wanted(self) -> list[tuple[str, str, str]]:
        wanted: list[tuple[str, str, str]] = []
        for planned in self.creates:
            name = planned.values.get("klantmanager", "")
            if name:
                municipality = planned.values.get("municipality", "")
                wanted.append((name, municipality, planned.values.get("klantmanager_email", "")))
        for upd in self.updates:
            name = upd.apply.get("klantmanager", "")
            if name:
                municipality = upd.apply.get("municipality") or upd.candidate.values.get(
                    "municipality", ""
                )
                wanted.append((name, municipality, upd.apply.get("klantmanager_email", "")))
        return wanted

    def _create_klantmanagers(self) -> None:
        missing: dict[tuple[str, str], dict[str, Any]] = {}
        for name, municipality, email in self._manager_wanted():
            if self.state.klantmanager_for(name, municipality) is not None:
                continue
            key = (name.casefold(), municipality.casefold())
            if key not in missing:
                missing[key] = {"uid": new_uid(), "name": name, "email": email,
                                "municipality": municipality}  # fmt: skip
        if not missing:
            return
        km = table("klantmanager")
        rows = list(missing.values())
        ids = self.conn.execute(
            insert(km).returning(km.c.id, sort_by_parameter_order=True), rows
        ).scalars()
        for kid, row in zip(ids, rows, strict=True):
            self.state.klantmanagers[int(kid)] = KlantmanagerRow(
                int(kid), row["name"], row["email"], row["municipality"]
            )

    def _manager(self, name: str, municipality: str) -> KlantmanagerRow | None:
        return self.state.klantmanager_for(name, municipality) if name else None

    def _insert_candidates(self, registration: date) -> None:
        if not self.creates:
            return
        rows: list[dict[str, Any]] = []
        email_fills: dict[int, str] = {}
        for planned in self.creates:
            v = planned.values
            manager = self._manager(v.get("klantmanager", ""), v.get("municipality", ""))
            municipality = v.get("municipality") or (manager.municipality if manager else "")
            if manager is not None and not manager.email and v.get("klantmanager_email"):
                manager.email = email_fills[manager.id] = v["klantmanager_email"]
            law = v.get("law", DEFAULT_LAW)
            start, end = _term(law, v.get("obligation_start", ""), v.get("pip_date", ""), 0)
            row = {name: _column_value(name, v.get(name, "")) for name in COLUMN_FIELDS}
            row.update(
                uid=new_uid(), gender=v.get("gender", "o"), law=law,
                doelgroep=v.get("doelgroep", "statushouder"), municipality=municipality,
                location_id=self.state.location_for(municipality),
                klantmanager_id=manager.id if manager else None,
                registration_date=registration, term_start=start, term_end=end,
                status=CandidateStatus.AANGEMELD.value, participatieladder=None,
                merged_into_id=None, created_at=self.now, updated_at=self.now,
            )  # fmt: skip
            rows.append(row)
        c = table("candidate")
        # Keys are given, not returned one by one: this transaction read the table first,
        # and SQLite refuses its write (busy snapshot) if another program wrote since.
        ids = reserve_ids(self.conn, c, len(rows))
        for cid, row in zip(ids, rows, strict=True):
            row["id"] = cid
        self.conn.execute(insert(c), rows)
        self._fill_manager_emails(email_fills)
        changes, pips = [], []
        for cid, planned, row in zip(ids, self.creates, rows, strict=True):
            self.created_uids.append(row["uid"])
            self.baselines[cid].update(planned.values)
            changes.append(
                {"uid": new_uid(), "candidate_id": cid, "status": CandidateStatus.AANGEMELD.value,
                 "effective_date": registration, "reason": f"import {self.source}",
                 "recorded_by": self.actor[:120], "recorded_at": self.now}
            )  # fmt: skip
            pip_date = planned.values.get("pip_date")
            if pip_date:
                pips.append(self._pip_row(cid, pip_date, row["route"], row["target_level"]))
            self._audit("import.create", row["uid"], {}, planned.values)
        self.conn.execute(insert(table("candidate_status_change")), changes)
        if pips:
            self.conn.execute(insert(table("pip_version")), pips)

    def _pip_row(self, cid: int, day: str, route: str | None, level: str | None) -> dict[str, Any]:
        return {"uid": new_uid(), "candidate_id": cid, "version": 1,
                "decision_date": date.fromisoformat(day), "route": route or "",
                "target_level": level or None, "reason": ""}  # fmt: skip

    def _fill_manager_emails(self, emails: Mapping[int, str]) -> None:
        if not emails:
            return
        km = table("klantmanager")
        self.conn.execute(
            update(km).where(km.c.id == bindparam("k_id")).values(email=bindparam("k_email")),
            [{"k_id": kid, "k_email": email} for kid, email in emails.items()],
        )

    def _apply_updates(self) -> None:
        if not self.updates:
            return
        extensions = self._extension_months()
        first_pips = self._first_pip_ids()
        grouped: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        emails: dict[int, str] = {}
        new_pips: list[dict[str, Any]] = []
        moved_pips: list[dict[str, Any]] = []
        for upd in self.updates:
            cand, apply = upd.candidate, upd.apply
            values = {**cand.values, **apply}
            columns: dict[str, Any] = {
                name: _column_value(name, value)
                for name, value in apply.items()
                if name in COLUMN_FIELDS
            }
            manager_id = cand.klantmanager_id
            if "klantmanager" in apply:
                manager = self._manager(apply["klantmanager"], values.get("municipality", ""))
                manager_id = manager.id if manager else manager_id
                columns["klantmanager_id"] = manager_id
            if "klantmanager_email" in apply and manager_id is not None:
                emails[manager_id] = apply["klantmanager_email"]
            if "municipality" in apply:
                location = self.state.location_for(apply["municipality"])
                if location is not None:
                    columns["location_id"] = location
            if "pip_date" in apply:
                if cand.id in first_pips:
                    moved_pips.append(
                        {"p_id": first_pips[cand.id],
                         "p_day": date.fromisoformat(apply["pip_date"])}
                    )  # fmt: skip
                else:
                    new_pips.append(
                        self._pip_row(cand.id, apply["pip_date"], values.get("route"),
                                      values.get("target_level"))
                    )  # fmt: skip
            if {"law", "pip_date", "obligation_start"} & apply.keys():
                start, end = _term(
                    values.get("law", ""),
                    values.get("obligation_start", ""),
                    values.get("pip_date", ""),
                    extensions.get(cand.id, 0),
                )
                if start is not None:
                    columns.update(term_start=start, term_end=end)
            columns["updated_at"] = self.now
            grouped[tuple(sorted(columns))].append(
                {**{f"v_{k}": v for k, v in columns.items()}, "c_id": cand.id}
            )
            old = {name: cand.values.get(name, "") for name in apply}
            self._audit("import.update", cand.uid, old, apply)
        c = table("candidate")
        for keys, params in grouped.items():
            statement = (
                update(c)
                .where(c.c.id == bindparam("c_id"))
                .values({key: bindparam(f"v_{key}") for key in keys})
                .values(version=c.c.version + 1)  # an open edit form sees the change
            )
            self.conn.execute(statement, params)
        self._fill_manager_emails(emails)
        pip = table("pip_version")
        if new_pips:
            self.conn.execute(insert(pip), new_pips)
        if moved_pips:
            self.conn.execute(
                update(pip).where(pip.c.id == bindparam("p_id"))
                .values(decision_date=bindparam("p_day")),
                moved_pips,
            )  # fmt: skip

    def _extension_months(self) -> dict[int, int]:
        ext = table("term_extension")
        ids = [u.candidate.id for u in self.updates]
        rows = self.conn.execute(
            select(ext.c.candidate_id, func.sum(ext.c.months))
            .where(ext.c.candidate_id.in_(ids))
            .group_by(ext.c.candidate_id)
        )
        return {int(cid): int(months or 0) for cid, months in rows}

    def _first_pip_ids(self) -> dict[int, int]:
        pip = table("pip_version")
        ids = [u.candidate.id for u in self.updates if "pip_date" in u.apply]
        if not ids:
            return {}
        rows = self.conn.execute(
            select(pip.c.candidate_id, pip.c.id)
            .where(pip.c.candidate_id.in_(ids))
            .order_by(pip.c.candidate_id, pip.c.version.desc(), pip.c.id.desc())
        )
        return {int(cid): int(pid) for cid, pid in rows}  # the last one per candidate wins

    def _write_baselines(self) -> None:
        """Upsert the imported values (one statement, many rows: there may be 200,000)."""
        source = self.source[:200]
        rows = [
            {"candidate_id": cid, "field": name, "value": value, "source": source,
             "imported_at": self.now}
            for cid, values in self.baselines.items()
            for name, value in values.items()
        ]  # fmt: skip
        if rows:
            self.conn.execute(UPSERT_BASELINE, rows)

    def _audit(self, action: str, uid: str, old: Mapping[str, str], new: Mapping[str, str]) -> None:
        self.audits.append(
            {"uid": new_uid(), "at": self.now, "actor": self.actor[:120],
             "device": self.device[:120], "action": action, "table_name": "candidate",
             "record_uid": uid, "old_values": _json(old), "new_values": _json(new),
             "result": "ok"}
        )  # fmt: skip

    def result(self, preview: ImportPreview) -> ImportResult:
        rejections = sorted([*preview.rejected, *self.rejections], key=lambda r: r.row)
        return ImportResult(
            source=self.source,
            created=len(self.creates),
            updated=len(self.updates),
            unchanged=self.unchanged,
            rejected=len({r.row for r in rejections}),
            conflicts_kept_app=self.kept_app,
            conflicts_taken_from_file=self.taken_file,
            rejections=rejections,
            created_uids=list(self.created_uids),
            updated_uids=[u.candidate.uid for u in self.updates],
        )


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


NULLABLE_TEXT = frozenset({"klantnummer", "bsn", "route", "target_level"})


def _column_value(name: str, value: str) -> Any:
    """A stored form as its column wants it: a date, None for an empty optional code, text."""
    if name in DATE_FIELDS:
        return _date(value)
    if name in NULLABLE_TEXT:
        return value or None
    return value


def _term(law: str, obligation: str, pip: str, months: int) -> tuple[date | None, date | None]:
    """The integration term: from the obligation start under Wi2013, else from the first PIP."""
    if law == Law.WI2013.value and obligation:
        start = date.fromisoformat(obligation)
    elif pip:
        start = rules.term_start(date.fromisoformat(pip))
    else:
        return None, None
    return start, rules.term_end(start, months)


def _json(values: Mapping[str, str]) -> str:
    if not values:
        return ""
    clean = {name: shown(name, value) for name, value in values.items()}
    return json.dumps(clean, ensure_ascii=False, sort_keys=True)
