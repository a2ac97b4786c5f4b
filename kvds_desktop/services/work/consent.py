"""Consent to share a work profile with an employer, and the profile that is shared.

A candidate gives consent per organisation, dated, and may withdraw it; both are kept
(who recorded it, when) and audited. The shared profile is a one-page PDF with only what
an employer needs (see :mod:`kvds_desktop.reports.work_profile`); it is made only for an
organisation that holds the candidate's consent on that day, and every profile made is
written to the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from kvds_desktop.domain.enums import Skill
from kvds_desktop.domain.names import display_name
from kvds_desktop.errors import N_, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.reports.work_profile import SharedProfile, work_profile_pdf
from kvds_desktop.services.audit import Actor, audit_row
from kvds_desktop.services.progress import latest_levels
from kvds_desktop.services.scheduling import days_without_lessons
from kvds_desktop.services.scheduling.common import (
    CANDIDATE,
    TABLES,
    parse_days,
    transaction,
    write_audit,
)
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import new_uid

CONSENT = TABLES["employer_consent"]
ORGANISATION = TABLES["organisation"]
PROFILE = TABLES["work_profile"]
BASE_SKILLS = (Skill.LEZEN, Skill.LUISTEREN, Skill.SPREKEN, Skill.SCHRIJVEN)


@dataclass(frozen=True)
class ConsentRow:
    """A consent to share the profile with one organisation, and its withdrawal if any."""

    uid: str
    organisation_uid: str
    organisation: str
    given_on: date
    withdrawn_on: date | None
    recorded_by: str
    note: str

    def valid_on(self, day: date) -> bool:
        """Whether the consent holds on ``day`` (a withdrawal counts from its own day)."""
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


def _ids(conn: Connection, candidate_uid: str, organisation_uid: str) -> tuple[int, int]:
    candidate_id = conn.execute(
        select(CANDIDATE.c.id).where(
            and_(CANDIDATE.c.uid == candidate_uid, CANDIDATE.c.merged_into_id.is_(None))
        )
    ).scalar()
    if candidate_id is None:
        raise UserError(N_("This candidate no longer exists; refresh the list."))
    org_id = conn.execute(
        select(ORGANISATION.c.id).where(ORGANISATION.c.uid == organisation_uid)
    ).scalar()
    if org_id is None:
        raise UserError(N_("This organisation no longer exists; refresh the list."))
    return int(candidate_id), int(org_id)


def _rows(conn: Connection, *conditions: Any) -> list[ConsentRow]:
    rows = conn.execute(
        select(
            CONSENT.c.uid, ORGANISATION.c.uid, ORGANISATION.c.name, CONSENT.c.given_on,
            CONSENT.c.withdrawn_on, CONSENT.c.recorded_by, CONSENT.c.note,
        )
        .select_from(
            CONSENT.join(ORGANISATION, ORGANISATION.c.id == CONSENT.c.organisation_id).join(
                CANDIDATE, CANDIDATE.c.id == CONSENT.c.candidate_id
            )
        )
        .where(*conditions)
        .order_by(CONSENT.c.given_on, ORGANISATION.c.name, CONSENT.c.id)
    ).all()  # fmt: skip
    return [ConsentRow(r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6] or "") for r in rows]


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > 200:
        raise UserError(N_("{field} is too long: at most {most} characters."), field="note",
                        most=200)  # fmt: skip
    return note


def give_consent(
    db: Database,
    *,
    candidate_uid: str,
    organisation_uid: str,
    day: date,
    actor: Actor,
    note: str = "",
    now: datetime | None = None,
) -> ConsentRow:
    """Record that the candidate allows their profile to be shared with the organisation.

    Raises:
        UserError: a consent for that organisation holds already (not withdrawn), or the
            candidate or organisation does not exist.
    """
    note = _note(note)
    uid = new_uid()
    with transaction(db) as conn:
        candidate_id, org_id = _ids(conn, candidate_uid, organisation_uid)
        open_one = conn.execute(
            select(CONSENT.c.given_on).where(
                and_(CONSENT.c.candidate_id == candidate_id, CONSENT.c.organisation_id == org_id,
                     CONSENT.c.withdrawn_on.is_(None))
            )
        ).scalar()  # fmt: skip
        if open_one is not None:
            raise UserError(
                N_("Consent for this organisation was given on {date} and still holds."),
                date=open_one.isoformat(),
            )
        conn.execute(
            CONSENT.insert().values(uid=uid, candidate_id=candidate_id, organisation_id=org_id,
                                    given_on=day, recorded_by=actor.name[:120], note=note)
        )  # fmt: skip
        new = {"candidate": candidate_uid, "organisation": organisation_uid, "given_on": day,
               "note": note}  # fmt: skip
        write_audit(conn, [audit_row(actor, "consent.give", "employer_consent", uid, new=new,
                                     at=now)])  # fmt: skip
        return _rows(conn, CONSENT.c.uid == uid)[0]


def withdraw_consent(
    db: Database,
    *,
    candidate_uid: str,
    organisation_uid: str,
    day: date,
    actor: Actor,
    note: str = "",
    now: datetime | None = None,
) -> ConsentRow:
    """Record that the candidate withdrew the consent for the organisation from ``day`` on.

    Raises:
        UserError: no consent for that organisation holds, the day lies before it was
            given, or the candidate or organisation does not exist.
    """
    note = _note(note)
    with transaction(db) as conn:
        candidate_id, org_id = _ids(conn, candidate_uid, organisation_uid)
        found = conn.execute(
            select(CONSENT.c.id, CONSENT.c.uid, CONSENT.c.given_on, CONSENT.c.note).where(
                and_(CONSENT.c.candidate_id == candidate_id, CONSENT.c.organisation_id == org_id,
                     CONSENT.c.withdrawn_on.is_(None))
            )
        ).first()  # fmt: skip
        if found is None:
            raise UserError(N_("No consent for this organisation holds; nothing to withdraw."))
        if day < found[2]:
            raise UserError(N_("Consent cannot be withdrawn before it was given ({date})."),
                            date=found[2].isoformat())  # fmt: skip
        values: dict[str, Any] = {"withdrawn_on": day}
        if note:
            values["note"] = _note(f"{found[3]}; {note}" if found[3] else note)
        conn.execute(CONSENT.update().where(CONSENT.c.id == found[0]).values(**values))
        write_audit(conn, [audit_row(actor, "consent.withdraw", "employer_consent", found[1],
                                     old={"withdrawn_on": None}, new={**values, "note": note},
                                     at=now)])  # fmt: skip
        return _rows(conn, CONSENT.c.uid == found[1])[0]


def consents(db: Database, candidate_uid: str) -> list[ConsentRow]:
    """Every consent the candidate gave (withdrawn ones too), oldest first."""
    with db.engine.connect() as conn:
        return _rows(conn, CANDIDATE.c.uid == candidate_uid)


def _valid(conn: Connection, candidate_uid: str, organisation_uid: str, on: date) -> Any:
    return conn.execute(
        select(CONSENT.c.given_on)
        .select_from(
            CONSENT.join(ORGANISATION, ORGANISATION.c.id == CONSENT.c.organisation_id).join(
                CANDIDATE, CANDIDATE.c.id == CONSENT.c.candidate_id
            )
        )
        .where(
            CANDIDATE.c.uid == candidate_uid,
            ORGANISATION.c.uid == organisation_uid,
            CONSENT.c.given_on <= on,
            or_(CONSENT.c.withdrawn_on.is_(None), CONSENT.c.withdrawn_on > on),
        )
        .order_by(CONSENT.c.given_on.desc())
        .limit(1)
    ).scalar()


def has_consent(db: Database, candidate_uid: str, organisation_uid: str, on: date) -> bool:
    """Whether the candidate's consent for the organisation holds on ``on``."""
    with db.engine.connect() as conn:
        return _valid(conn, candidate_uid, organisation_uid, on) is not None


def _week_of(today: date) -> tuple[int, int]:
    """The ISO week the availability is read from: this one, or the next at the weekend."""
    day = today + timedelta(days=7 - today.isoweekday() + 1) if today.isoweekday() > 5 else today
    year, week, _weekday = day.isocalendar()
    return year, week


def shared_profile(
    db: Database, *, candidate_uid: str, organisation_uid: str, today: date
) -> SharedProfile:
    """What the profile shared with the organisation shows.

    Raises:
        UserError: no consent for that organisation holds on ``today``, or the candidate
            or the organisation does not exist.
    """
    with db.engine.connect() as conn:
        _ids(conn, candidate_uid, organisation_uid)
        given_on = _valid(conn, candidate_uid, organisation_uid, today)
        if given_on is None:
            raise UserError(
                N_("The candidate has not given consent to share the profile with this "
                   "organisation; record the consent first.")
            )  # fmt: skip
        person = conn.execute(
            select(CANDIDATE.c.id, CANDIDATE.c.voornamen, CANDIDATE.c.tussenvoegsel,
                   CANDIDATE.c.achternaam).where(CANDIDATE.c.uid == candidate_uid)
        ).one()  # fmt: skip
        organisation = conn.execute(
            select(ORGANISATION.c.name).where(ORGANISATION.c.uid == organisation_uid)
        ).scalar_one()
        work = conn.execute(select(PROFILE).where(PROFILE.c.candidate_id == person[0])).first()
    levels = latest_levels(db, [candidate_uid], today).get(candidate_uid, {})
    skills = [*BASE_SKILLS, *([Skill.GESPREKKEN] if Skill.GESPREKKEN.value in levels else [])]
    free = days_without_lessons(db, candidate_uid, *_week_of(today))
    w: Any = work._mapping if work is not None else {}
    return SharedProfile(
        name=display_name(person[1] or "", person[2], person[3] or ""),
        organisation=organisation, consent_given_on=given_on, printed_on=today,
        levels=tuple((s.value, levels.get(s.value)) for s in skills),
        free_days=tuple(d.isoweekday() for d in free),
        available_days=tuple(sorted(parse_days(w.get("available_days") or ""))),
        hours_per_week=w.get("hours_per_week"), available_from=w.get("available_from"),
        flexibility=w.get("flexibility") or "", transport=w.get("transport") or "",
        max_travel_minutes=w.get("max_travel_minutes"),
        driving_licence=bool(w.get("driving_licence")), certificates=w.get("certificates") or "",
        education=w.get("education_summary") or "",
        education_country=w.get("education_country") or "",
        education_years=w.get("education_years"), work_history=w.get("work_history") or "",
        work_years=w.get("work_years"), sector_wishes=w.get("sector_wishes") or "",
        has_work_profile=work is not None,
    )  # fmt: skip


def shared_profile_pdf(
    db: Database,
    *,
    candidate_uid: str,
    organisation_uid: str,
    tr: Translator,
    today: date,
    now: datetime,
    actor: Actor | None = None,
) -> bytes:
    """The one-page profile to give the organisation, in the language of ``tr``.

    With ``actor`` the sharing is written to the audit trail (who, for which
    organisation, when).

    Raises:
        UserError: no consent for that organisation holds on ``today``, or the candidate
            or the organisation does not exist.
    """
    profile = shared_profile(
        db, candidate_uid=candidate_uid, organisation_uid=organisation_uid, today=today
    )
    pdf = work_profile_pdf(profile, tr)
    if actor is not None:
        with transaction(db) as conn:
            write_audit(conn, [audit_row(actor, "candidate.profile_shared", "candidate",
                                         candidate_uid, new={"organisation": organisation_uid,
                                                             "on": today}, at=now)])  # fmt: skip
    return pdf
