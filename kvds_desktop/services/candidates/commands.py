"""Changing candidates: create, edit, status, notes, PIP versions, term extensions.

Every change is validated first, written in one transaction, and audited (who,
what, which record, when, from which device, old and new values).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from kvds_desktop.domain import rules
from kvds_desktop.domain.enums import ENDED_STATUSES, CandidateStatus, Route
from kvds_desktop.errors import N_, UserError
from kvds_desktop.services.audit import Actor, record
from kvds_desktop.services.candidates.validation import validate
from kvds_desktop.services.conflicts import EditGuard
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import (
    Candidate,
    CandidateNote,
    CandidateStatusChange,
    PipVersion,
    TermExtension,
    WorkProfile,
)

S = CandidateStatus
CANDIDATE_TABLE = Candidate.__table__  # type: ignore[attr-defined]
TRANSITIONS: dict[CandidateStatus, frozenset[CandidateStatus]] = {
    S.AANGEMELD: frozenset({S.INTAKE, S.ACTIEF, S.VERHUISD, S.ONTHEVEN, S.GESTOPT}),
    S.INTAKE: frozenset({S.ACTIEF, S.VERHUISD, S.ONTHEVEN, S.GESTOPT}),
    S.ACTIEF: frozenset({S.GEPAUZEERD, S.UITGESTROOMD, S.VERHUISD, S.ONTHEVEN, S.GESTOPT}),
    S.GEPAUZEERD: frozenset({S.ACTIEF, S.UITGESTROOMD, S.VERHUISD, S.ONTHEVEN, S.GESTOPT}),
}
# An ended candidacy can start again (a return after a job ended, a move back).
for _ended in ENDED_STATUSES:
    TRANSITIONS[_ended] = frozenset({S.AANGEMELD, S.ACTIEF})


def _load(session: Session, uid: str) -> Candidate:
    candidate = session.exec(select(Candidate).where(col(Candidate.uid) == uid)).first()
    if candidate is None:
        raise UserError(N_("This candidate no longer exists; refresh the list."))
    return candidate


def _unique_klantnummer(session: Session, number: str | None, own_id: int | None) -> None:
    if not number:
        return
    other = session.exec(select(Candidate).where(col(Candidate.klantnummer) == number)).first()
    if other is not None and other.id != own_id:
        raise UserError(
            N_("Klantnummer {number} already belongs to another candidate."), number=number
        )


def create_candidate(db: Database, values: Mapping[str, Any], actor: Actor, today: date) -> str:
    """Register a new candidate; returns its uid."""
    cleaned = validate(dict(values), today)
    with db.session() as session:
        _unique_klantnummer(session, cleaned.get("klantnummer"), None)
        candidate = Candidate(**cleaned, status=S.AANGEMELD.value)
        session.add(candidate)
        session.flush()
        assert candidate.id is not None
        session.add(
            CandidateStatusChange(
                candidate_id=candidate.id,
                status=S.AANGEMELD.value,
                effective_date=cleaned["registration_date"],
                recorded_by=actor.name,
            )
        )
        record(session, actor, "candidate.create", "candidate", candidate.uid, new=cleaned)
        return candidate.uid


def update_candidate(
    db: Database,
    uid: str,
    changes: Mapping[str, Any],
    actor: Actor,
    today: date,
    *,
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Change fields of a candidate; returns the old values of what changed (for undo).

    ``expected_version`` is the version the user loaded (``CandidateDetail.version``)
    and ``loaded`` the values they saw; None skips the check (a one-shot command).
    To keep one's changes after a conflict, save again with the conflict's version.

    Raises:
        EditConflict: someone else saved the candidate since it was loaded (also when
            their save lands while this one is being written).
        UserError: a value is not valid, the klantnummer is taken, the record is gone.
    """
    cleaned = validate(dict(changes), today, partial=True)
    guard = EditGuard(
        db, CANDIDATE_TABLE, uid, expected=expected_version, loaded=loaded, yours=cleaned
    )
    with guard.saving(), db.session() as session:
        candidate = _load(session, uid)
        old = {k: getattr(candidate, k) for k in cleaned if getattr(candidate, k) != cleaned[k]}
        if not old:  # nothing to write, so nothing of theirs can be lost
            return {}
        guard.check(session.connection(), candidate.version)
        if "klantnummer" in cleaned:
            _unique_klantnummer(session, cleaned["klantnummer"], candidate.id)
        new = {k: cleaned[k] for k in old}
        for key, value in new.items():
            setattr(candidate, key, value)
        candidate.updated_at = datetime.now(UTC)
        session.add(candidate)
        record(session, actor, "candidate.update", "candidate", uid, old=old, new=new)
        session.flush()  # the UPDATE says WHERE version = the one read: a lost race raises
        return old


def change_status(
    db: Database, uid: str, status: str, effective: date, reason: str, actor: Actor, today: date
) -> None:
    """Move a candidacy to another status, dated, with a reason."""
    new_status = CandidateStatus(status)
    with db.session() as session:
        candidate = _load(session, uid)
        current = CandidateStatus(candidate.status)
        if new_status not in TRANSITIONS.get(current, frozenset()):
            raise UserError(
                N_("A candidate cannot go from '{old}' to '{new}'."),
                old=current.value,
                new=new_status.value,
            )
        if effective > today:
            raise UserError(N_("The date of a status change cannot lie in the future."))
        if effective < candidate.registration_date:
            raise UserError(N_("The date of a status change cannot lie before the registration."))
        if new_status in ENDED_STATUSES and not reason.strip():
            raise UserError(N_("Say why the candidacy ends."))
        assert candidate.id is not None
        session.add(
            CandidateStatusChange(
                candidate_id=candidate.id,
                status=new_status.value,
                effective_date=effective,
                reason=reason.strip(),
                recorded_by=actor.name,
            )
        )
        record(
            session,
            actor,
            "candidate.status",
            "candidate",
            uid,
            old={"status": current.value},
            new={"status": new_status.value, "effective_date": effective, "reason": reason},
        )
        candidate.status = new_status.value
        candidate.updated_at = datetime.now(UTC)
        session.add(candidate)


def add_note(db: Database, uid: str, text: str, actor: Actor) -> None:
    """Add a dated note to the candidate's log."""
    if not text.strip():
        raise UserError(N_("The note is empty."))
    with db.session() as session:
        candidate = _load(session, uid)
        assert candidate.id is not None
        session.add(CandidateNote(candidate_id=candidate.id, author=actor.name, text=text.strip()))
        record(session, actor, "candidate.note", "candidate", uid, new={"note": "…"})


def add_pip_version(
    db: Database,
    uid: str,
    *,
    decision_date: date,
    route: str,
    target_level: str | None,
    reason: str,
    actor: Actor,
    today: date,
) -> int:
    """Record a new PIP version; the first one starts the 3-year term. Returns its number."""
    new_route = Route(route)
    if decision_date > today:
        raise UserError(N_("The date of a PIP cannot lie in the future."))
    with db.session() as session:
        candidate = _load(session, uid)
        assert candidate.id is not None
        versions = session.exec(
            select(PipVersion).where(col(PipVersion.candidate_id) == candidate.id)
        ).all()
        number = len(versions) + 1
        if versions and not reason.strip():
            raise UserError(N_("Say why the PIP changes (route switch, afschalen, a move ...)."))
        if versions and candidate.route and new_route.value != candidate.route:
            start = candidate.term_start or rules.term_start(min(v.decision_date for v in versions))
            last_day = rules.route_switch_deadline(start)
            if decision_date > last_day:
                raise UserError(
                    N_(
                        "A route switch was possible until {date}, 18 months after the start "
                        "of the term; this PIP cannot change the route."
                    ),
                    date=last_day.isoformat(),
                )
        session.add(
            PipVersion(
                candidate_id=candidate.id,
                version=number,
                decision_date=decision_date,
                route=new_route.value,
                target_level=target_level,
                reason=reason.strip(),
            )
        )
        old = {"route": candidate.route, "term_start": candidate.term_start}
        if number == 1:
            candidate.term_start = rules.term_start(decision_date)
            candidate.term_end = rules.term_end(candidate.term_start)
        candidate.route = new_route.value
        if target_level:
            candidate.target_level = target_level
        candidate.updated_at = datetime.now(UTC)
        session.add(candidate)
        record(
            session,
            actor,
            "candidate.pip",
            "candidate",
            uid,
            old=old,
            new={
                "version": number,
                "route": new_route.value,
                "decision_date": decision_date,
                "term_start": candidate.term_start,
            },
        )
        return number


def extend_term(
    db: Database, uid: str, *, months: int, reason: str, decided_on: date, actor: Actor
) -> date:
    """Extend the integration term (verlenging); returns the new last day."""
    if months <= 0 or months > 36:
        raise UserError(N_("An extension is between 1 and 36 months."))
    if not reason.strip():
        raise UserError(N_("Say why the term is extended."))
    with db.session() as session:
        candidate = _load(session, uid)
        if candidate.term_start is None:
            raise UserError(N_("The term has not started: record the first PIP first."))
        assert candidate.id is not None
        session.add(
            TermExtension(
                candidate_id=candidate.id,
                decided_on=decided_on,
                months=months,
                reason=reason.strip(),
            )
        )
        session.flush()
        extensions = session.exec(
            select(TermExtension).where(col(TermExtension.candidate_id) == candidate.id)
        ).all()
        total = sum(e.months for e in extensions)
        old_end = candidate.term_end
        candidate.term_end = rules.term_end(candidate.term_start, extension_months=total)
        session.add(candidate)
        record(
            session,
            actor,
            "candidate.extend",
            "candidate",
            uid,
            old={"term_end": old_end},
            new={"term_end": candidate.term_end, "months": months},
        )
        return candidate.term_end


def reveal_bsn(db: Database, uid: str, actor: Actor) -> str:
    """The full BSN, shown on an explicit request that is written to the audit trail."""
    with db.session() as session:
        candidate = _load(session, uid)
        record(session, actor, "candidate.bsn_reveal", "candidate", uid)
        return candidate.bsn or ""


PROFILE_FIELDS = frozenset(
    {
        "available_days",
        "hours_per_week",
        "available_from",
        "transport",
        "max_travel_minutes",
        "driving_licence",
        "flexibility",
        "education_summary",
        "education_country",
        "education_years",
        "work_history",
        "work_years",
        "certificates",
        "sector_wishes",
        "employer_consent",
        "consent_date",
    }
)


def save_work_profile(db: Database, uid: str, values: Mapping[str, Any], actor: Actor) -> None:
    """Create or change the candidate's work profile."""
    unknown = set(values) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not work profile fields: {sorted(unknown)}")
    days = str(values.get("available_days", "") or "")
    if days and not all(
        part.strip() in {"1", "2", "3", "4", "5", "6", "7"} for part in days.split(",")
    ):
        raise UserError(N_("Available days are weekday numbers 1 to 7, separated by commas."))
    for number_field in ("hours_per_week", "max_travel_minutes", "education_years", "work_years"):
        number = values.get(number_field)
        if number is not None and (not isinstance(number, int) or number < 0 or number > 100):
            raise UserError(N_("{field} must be a whole number from 0 to 100."), field=number_field)
    with db.session() as session:
        candidate = _load(session, uid)
        profile = session.exec(
            select(WorkProfile).where(col(WorkProfile.candidate_id) == candidate.id)
        ).first()
        if profile is None:
            assert candidate.id is not None
            profile = WorkProfile(candidate_id=candidate.id)
        old = {k: getattr(profile, k) for k in values if getattr(profile, k) != values[k]}
        for key, value in values.items():
            setattr(profile, key, value)
        if values.get("employer_consent") and not profile.consent_date:
            profile.consent_date = datetime.now(UTC).date()
        session.add(profile)
        record(
            session,
            actor,
            "candidate.work_profile",
            "candidate",
            uid,
            old=old,
            new={k: values[k] for k in old},
        )
