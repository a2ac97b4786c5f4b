"""Organisations, opportunities, placements, outflow and follow-up."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field

from kvds_desktop.store.models.base import Identified, Versioned, utcnow


class Organisation(Identified, Versioned, table=True):
    """An employer or volunteer organisation."""

    __tablename__ = "organisation"

    name: str = Field(max_length=160)
    sector: str = Field(default="", max_length=80)
    address: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=80)
    contact_name: str = Field(default="", max_length=120)
    contact_email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    kind: str = Field(default="werkgever", max_length=20)  # werkgever, vrijwilligers, werkbedrijf
    active: bool = True


class OrganisationContact(Identified, table=True):
    """A line in the contact log: who spoke to whom at an organisation, when, about what."""

    __tablename__ = "organisation_contact"

    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    contact_date: date
    by: str = Field(default="", max_length=120)  # the coordinator or job coach
    with_whom: str = Field(default="", max_length=120)
    subject: str = Field(default="", max_length=200)
    note: str = Field(default="")


class Opportunity(Identified, Versioned, table=True):
    """A volunteer job, internship, werkervaringsplaats or paid job on offer."""

    __tablename__ = "opportunity"

    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str = Field(max_length=30)
    title: str = Field(max_length=160)
    sector: str = Field(default="", max_length=80)
    city: str = Field(default="", max_length=80)
    days: str = Field(default="", max_length=20)  # ISO weekdays
    hours_per_week: int | None = None
    required_level: str | None = Field(default=None, max_length=10)
    driving_licence_required: bool = False
    start_date: date | None = None
    end_date: date | None = None
    places: int = 1
    active: bool = True
    # minimum Dutch level per skill, "lezen=a1,spreken=a2" (required_level: every skill)
    skill_levels: str = Field(default="", max_length=120)
    certificates: str = Field(default="", max_length=200)  # comma-separated, e.g. "VCA"
    physical_work: bool = False
    description: str = Field(default="")


class MatchDecision(Identified, table=True):
    """The coordinator's word on a proposed match: accepted, or overridden with a reason."""

    __tablename__ = "match_decision"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    decision: str = Field(max_length=20)  # accepted, rejected
    reason: str = Field(default="", max_length=200)
    decided_by: str = Field(default="", max_length=120)
    decided_at: datetime = Field(default_factory=utcnow)


class EmployerConsent(Identified, table=True):
    """A candidate's consent to share their profile with one organisation."""

    __tablename__ = "employer_consent"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    given_on: date
    withdrawn_on: date | None = None
    recorded_by: str = Field(default="", max_length=120)
    note: str = Field(default="", max_length=200)


class Placement(Identified, table=True):
    """A candidate placed at an organisation."""

    __tablename__ = "placement"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id")
    organisation_id: int = Field(foreign_key="organisation.id")
    kind: str = Field(max_length=30)
    start_date: date
    end_date: date | None = None
    days: str = Field(default="", max_length=20)
    hours_per_week: int | None = None
    wage_subsidy: bool = False  # loonkostensubsidie
    note: str = Field(default="")
    # voorgesteld, kennismaking, proefplaatsing, geplaatst, beeindigd
    stage: str = Field(default="geplaatst", max_length=20)


class PlacementStep(Identified, table=True):
    """A step of a placement through the pipeline, with its date and a note."""

    __tablename__ = "placement_step"

    placement_id: int = Field(foreign_key="placement.id", index=True)
    stage: str = Field(max_length=20)
    step_date: date
    note: str = Field(default="")
    recorded_by: str = Field(default="", max_length=120)


class LadderStep(Identified, table=True):
    """The participatieladder step (1 isolated ... 6 paid work) measured on a date."""

    __tablename__ = "ladder_step"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    measured_on: date
    step: int
    note: str = Field(default="", max_length=200)


class Outflow(Identified, table=True):
    """A candidate leaving the programme, and where to."""

    __tablename__ = "outflow"

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    kind: str = Field(max_length=40)
    outflow_date: date = Field(index=True)
    employer: str = Field(default="", max_length=160)
    function: str = Field(default="", max_length=120)
    hours_per_week: int | None = None
    contract: str = Field(default="", max_length=60)
    benefit_after: str = Field(default="geen", max_length=20)
    note: str = Field(default="")


class OutflowFollowUp(Identified, table=True):
    """A follow-up check (nazorg) at 1, 3, 6 or 12 months after outflow."""

    __tablename__ = "outflow_follow_up"

    outflow_id: int = Field(foreign_key="outflow.id", index=True)
    month: int
    due_date: date
    checked_on: date | None = None
    still_out: bool | None = None
    benefit: str = Field(default="", max_length=20)  # geen, gedeeltelijk, volledig; "" unknown
    note: str = Field(default="")
