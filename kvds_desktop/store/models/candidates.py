"""Candidates and everything recorded about their integration route."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field

from kvds_desktop.store.models.base import Identified, Versioned, utcnow


class Klantmanager(Identified, table=True):
    """The municipal officer of a candidate (klantmanager or inkomensconsulent)."""

    __tablename__ = "klantmanager"

    name: str = Field(max_length=120)
    email: str = Field(default="", max_length=200)
    municipality: str = Field(max_length=80)


class Candidate(Identified, Versioned, table=True):
    """A person following the programme. Field names follow DOMAIN.md and the GGM."""

    __tablename__ = "candidate"

    klantnummer: str | None = Field(default=None, max_length=40, unique=True)
    bsn: str | None = Field(default=None, max_length=9, index=True)
    voornamen: str = Field(max_length=120)
    tussenvoegsel: str = Field(default="", max_length=20)
    achternaam: str = Field(max_length=120, index=True)
    birth_date: date | None = None
    gender: str = Field(default="o", max_length=1)
    nationality: str = Field(default="", max_length=60)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=80)
    municipality: str = Field(max_length=80, index=True)
    location_id: int | None = Field(default=None, foreign_key="location.id", index=True)
    klantmanager_id: int | None = Field(default=None, foreign_key="klantmanager.id", index=True)
    law: str = Field(max_length=10)
    doelgroep: str = Field(default="statushouder", max_length=30)
    route: str | None = Field(default=None, max_length=20)
    target_level: str | None = Field(default=None, max_length=10)
    registration_date: date
    obligation_start: date | None = None
    lbt_date: date | None = None
    lbt_outcome: str = Field(default="", max_length=60)
    term_start: date | None = None
    term_end: date | None = None
    status: str = Field(default="aangemeld", max_length=20, index=True)
    aandachtspunten: str = Field(default="")
    participatieladder: int | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="candidate.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class CandidateStatusChange(Identified, table=True):
    """One dated step in a candidate's status lifecycle."""

    __tablename__ = "candidate_status_change"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    status: str = Field(max_length=20)
    effective_date: date
    reason: str = Field(default="")
    recorded_by: str = Field(default="", max_length=120)
    recorded_at: datetime = Field(default_factory=utcnow)


class PipVersion(Identified, table=True):
    """A version of the Persoonlijk Plan Inburgering en Participatie."""

    __tablename__ = "pip_version"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    version: int
    decision_date: date
    route: str = Field(max_length=20)
    target_level: str | None = Field(default=None, max_length=10)
    reason: str = Field(default="", max_length=200)


class TermExtension(Identified, table=True):
    """An extension (verlenging) of the integration term, with its reason."""

    __tablename__ = "term_extension"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    decided_on: date
    months: int
    reason: str = Field(default="")


class CandidateNote(Identified, table=True):
    """A dated note in the candidate's log."""

    __tablename__ = "candidate_note"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    written_at: datetime = Field(default_factory=utcnow)
    author: str = Field(default="", max_length=120)
    text: str


class WorkProfile(Identified, table=True):
    """Availability, mobility and background for matching to work (GGM Werk)."""

    __tablename__ = "work_profile"

    candidate_id: int = Field(foreign_key="candidate.id", unique=True)
    available_days: str = Field(default="", max_length=20)  # ISO weekdays, "1,3,5"
    hours_per_week: int | None = None
    available_from: date | None = None
    transport: str = Field(default="", max_length=40)  # fiets, ov, auto, lopen
    max_travel_minutes: int | None = None
    driving_licence: bool = False
    flexibility: str = Field(default="", max_length=200)
    education_summary: str = Field(default="")
    education_country: str = Field(default="", max_length=60)
    education_years: int | None = None
    work_history: str = Field(default="")
    work_years: int | None = None
    certificates: str = Field(default="")
    sector_wishes: str = Field(default="")
    employer_consent: bool = False
    consent_date: date | None = None
