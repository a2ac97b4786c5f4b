"""Reading candidates: rows for the list and the whole record for the detail view.

Everything returned is plain, detached data; no session reaches the screens.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select
from sqlmodel import col

from kvds_desktop.domain import bsn as bsn_rules
from kvds_desktop.domain.deadlines import CandidateFacts, Deadline, deadlines_for
from kvds_desktop.domain.enums import MAP_THEMES, ExamResult, Exemption
from kvds_desktop.domain.names import display_name, sort_name
from kvds_desktop.domain.search import SearchKey
from kvds_desktop.errors import N_, UserError
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import (
    Candidate,
    CandidateNote,
    CandidateStatusChange,
    ExamAttempt,
    ExamPart,
    Group,
    GroupMembership,
    Klantmanager,
    Location,
    ModuleProgress,
    PipVersion,
    TermExtension,
    WorkProfile,
)


@dataclass(frozen=True)
class CandidateRow:
    """One line of the candidate list (never the BSN)."""

    id: int
    uid: str
    name: str
    sort_name: str
    klantnummer: str
    birth_date: date | None
    municipality: str
    location: str
    status: str
    law: str
    route: str
    group: str
    klantmanager: str
    registration_date: date
    first_pip: date | None
    term_end: date | None
    deadlines: tuple[Deadline, ...]
    key: SearchKey = field(compare=False, repr=False)

    @property
    def next_deadline(self) -> Deadline | None:
        """The soonest deadline, if any."""
        return self.deadlines[0] if self.deadlines else None


def _current_groups(conn: Connection, today: date) -> dict[int, str]:
    active = and_(
        col(GroupMembership.start_date) <= today,
        or_(col(GroupMembership.end_date).is_(None), col(GroupMembership.end_date) >= today),
    )
    rows = conn.execute(
        select(col(GroupMembership.candidate_id), col(Group.name))
        .join(Group, col(Group.id) == GroupMembership.group_id)
        .where(active)
        .order_by(col(Group.name))
    )
    groups: dict[int, list[str]] = defaultdict(list)
    for candidate_id, name in rows:
        groups[candidate_id].append(name)
    return {cid: ", ".join(names) for cid, names in groups.items()}


def _first_pips(conn: Connection) -> dict[int, date]:
    rows = conn.execute(
        select(col(PipVersion.candidate_id), func.min(col(PipVersion.decision_date))).group_by(
            col(PipVersion.candidate_id)
        )
    )
    return {cid: first for cid, first in rows}


def _modules_done(conn: Connection) -> tuple[set[int], set[int]]:
    """Candidates whose MAP and whose PVT are complete (passed, exempted or all items done)."""
    done: dict[str, set[int]] = {"map": set(), "pvt": set()}
    passed = conn.execute(
        select(col(ExamPart.candidate_id), col(ExamPart.part))
        .join(ExamAttempt, col(ExamAttempt.exam_part_id) == ExamPart.id, isouter=True)
        .where(col(ExamPart.part).in_(["map", "pvt"]))
        .where(
            or_(
                col(ExamPart.exemption) != Exemption.NONE.value,
                col(ExamAttempt.result) == ExamResult.PASSED.value,
            )
        )
    )
    for candidate_id, part in passed:
        done[part].add(candidate_id)
    items = conn.execute(
        select(
            col(ModuleProgress.candidate_id),
            col(ModuleProgress.module),
            func.count(func.distinct(col(ModuleProgress.item))),
        )
        .where(col(ModuleProgress.completed_on).is_not(None))
        .where(col(ModuleProgress.module).in_(["map", "pvt"]))
        .group_by(col(ModuleProgress.candidate_id), col(ModuleProgress.module))
    )
    for candidate_id, module, count in items:
        if module == "pvt" or count >= len(MAP_THEMES):
            done[module].add(candidate_id)
    return done["map"], done["pvt"]


def candidate_rows(db: Database, today: date) -> list[CandidateRow]:
    """Every candidate (merged duplicates left out), sorted by name, with deadlines."""
    with db.engine.connect() as conn:
        groups = _current_groups(conn, today)
        pips = _first_pips(conn)
        map_done, pvt_done = _modules_done(conn)
        columns: list[Any] = [
            Candidate.id,
            Candidate.uid,
            Candidate.voornamen,
            Candidate.tussenvoegsel,
            Candidate.achternaam,
            Candidate.klantnummer,
            Candidate.birth_date,
            Candidate.municipality,
            Location.name,
            Candidate.status,
            Candidate.law,
            Candidate.route,
            Klantmanager.name,
            Candidate.registration_date,
            Candidate.term_start,
            Candidate.term_end,
        ]
        result = conn.execute(
            select(*columns)
            .select_from(Candidate)
            .join(Location, col(Location.id) == Candidate.location_id, isouter=True)
            .join(Klantmanager, col(Klantmanager.id) == Candidate.klantmanager_id, isouter=True)
            .where(col(Candidate.merged_into_id).is_(None))
        ).all()
    rows: list[CandidateRow] = []
    for (
        cid,
        uid,
        first,
        infix,
        last,
        number,
        born,
        municipality,
        location,
        status,
        law,
        route,
        manager,
        registered,
        term_start,
        term_end,
    ) in result:
        facts = CandidateFacts(
            law=law,
            status=status,
            route=route,
            registration_date=registered,
            first_pip=pips.get(cid),
            term_start=term_start,
            term_end=term_end,
            map_complete=cid in map_done,
            pvt_complete=cid in pvt_done,
        )
        rows.append(
            CandidateRow(
                id=cid,
                uid=uid,
                name=display_name(first, infix, last),
                sort_name=sort_name(first, infix, last),
                klantnummer=number or "",
                birth_date=born,
                municipality=municipality,
                location=location or "",
                status=status,
                law=law,
                route=route or "",
                group=groups.get(cid, ""),
                klantmanager=manager or "",
                registration_date=registered,
                first_pip=pips.get(cid),
                term_end=term_end,
                deadlines=tuple(deadlines_for(facts, today)),
                key=SearchKey.of(first, infix, last, number),
            )
        )
    rows.sort(key=lambda r: r.sort_name.casefold())
    return rows


@dataclass(frozen=True)
class CandidateDetail:
    """The whole record of one candidate, as plain data."""

    values: dict[str, Any]  # the editable fields (BSN left out)
    uid: str
    id: int
    name: str
    status: str
    bsn_masked: str
    has_bsn: bool
    location: str
    klantmanager: str
    term_start: date | None
    term_end: date | None
    merged_into: int | None
    pip_versions: list[dict[str, Any]]
    extensions: list[dict[str, Any]]
    status_history: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    work_profile: dict[str, Any]
    deadlines: list[Deadline]
    updated_at: datetime | None = None
    version: int = 1  # hand back as ``expected_version`` when saving an edit


def _as_dicts(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in conn.execute(query)]


def candidate_detail(db: Database, uid: str, today: date) -> CandidateDetail:
    """The record of the candidate ``uid``."""
    from kvds_desktop.services.candidates.validation import EDITABLE_FIELDS

    with db.engine.connect() as conn:
        row = conn.execute(select(Candidate).where(col(Candidate.uid) == uid)).first()
        if row is None:
            raise UserError(N_("This candidate no longer exists; refresh the list."))
        c = dict(row._mapping)
        cid = c["id"]
        location = conn.execute(
            select(col(Location.name)).where(col(Location.id) == c["location_id"])
        ).scalar()
        manager = conn.execute(
            select(col(Klantmanager.name)).where(col(Klantmanager.id) == c["klantmanager_id"])
        ).scalar()
        pips = _as_dicts(
            conn,
            select(
                PipVersion.version,
                PipVersion.decision_date,  # type: ignore[call-overload]
                PipVersion.route,
                PipVersion.target_level,
                PipVersion.reason,
            )
            .where(col(PipVersion.candidate_id) == cid)
            .order_by(col(PipVersion.version)),
        )
        extensions = _as_dicts(
            conn,
            select(
                TermExtension.decided_on,
                TermExtension.months,  # type: ignore[call-overload]
                TermExtension.reason,
            )
            .where(col(TermExtension.candidate_id) == cid)
            .order_by(col(TermExtension.decided_on)),
        )
        history = _as_dicts(
            conn,
            select(
                CandidateStatusChange.status,  # type: ignore[call-overload]
                CandidateStatusChange.effective_date,
                CandidateStatusChange.reason,
                CandidateStatusChange.recorded_by,
            )
            .where(col(CandidateStatusChange.candidate_id) == cid)
            .order_by(col(CandidateStatusChange.effective_date), col(CandidateStatusChange.id)),
        )
        notes = _as_dicts(
            conn,
            select(
                CandidateNote.written_at,
                CandidateNote.author,  # type: ignore[call-overload]
                CandidateNote.text,
            )
            .where(col(CandidateNote.candidate_id) == cid)
            .order_by(col(CandidateNote.written_at).desc()),
        )
        groups = _as_dicts(
            conn,
            select(
                Group.name,
                GroupMembership.start_date,  # type: ignore[call-overload]
                GroupMembership.end_date,
            )
            .join(Group, col(Group.id) == GroupMembership.group_id)
            .where(col(GroupMembership.candidate_id) == cid)
            .order_by(col(GroupMembership.start_date)),
        )
        profile_row = conn.execute(
            select(WorkProfile).where(col(WorkProfile.candidate_id) == cid)
        ).first()
        map_done, pvt_done = _modules_done(conn)
    facts = CandidateFacts(
        law=c["law"],
        status=c["status"],
        route=c["route"],
        registration_date=c["registration_date"],
        first_pip=pips[0]["decision_date"] if pips else None,
        term_start=c["term_start"],
        term_end=c["term_end"],
        map_complete=cid in map_done,
        pvt_complete=cid in pvt_done,
    )
    profile = dict(profile_row._mapping) if profile_row is not None else {}
    return CandidateDetail(
        values={k: c[k] for k in EDITABLE_FIELDS if k != "bsn"},
        uid=uid,
        id=cid,
        name=display_name(c["voornamen"], c["tussenvoegsel"], c["achternaam"]),
        status=c["status"],
        bsn_masked=bsn_rules.mask(c["bsn"]),
        has_bsn=bool(c["bsn"]),
        location=location or "",
        klantmanager=manager or "",
        term_start=c["term_start"],
        term_end=c["term_end"],
        merged_into=c["merged_into_id"],
        pip_versions=pips,
        extensions=extensions,
        status_history=history,
        notes=notes,
        groups=groups,
        work_profile=profile,
        deadlines=deadlines_for(facts, today),
        updated_at=c["updated_at"],
        version=c["version"],
    )


def find_candidate(db: Database, ref: str) -> str:
    """The uid of the candidate with uid or klantnummer ``ref`` (merged records left out)."""
    with db.engine.connect() as conn:
        uid = conn.execute(
            select(col(Candidate.uid))
            .where(or_(col(Candidate.uid) == ref, col(Candidate.klantnummer) == ref))
            .where(col(Candidate.merged_into_id).is_(None))
        ).scalar()
    if uid is None:
        raise UserError(N_("No candidate has the id or client number {ref}."), ref=ref)
    return str(uid)
