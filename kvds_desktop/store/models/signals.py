"""Absence signal rules per municipality, and the signals sent to klantmanagers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from kvds_desktop.store.models.base import Identified


class SignalRule(Identified, table=True):
    """When a candidate's attendance is reported to the klantmanager.

    ``kind`` is ``rate`` (attendance below ``threshold`` percent over at least
    ``min_lessons`` marked lessons in ``window_weeks``), ``consecutive`` (``threshold``
    absences in a row) or ``unexcused`` (``threshold`` unexcused absences within
    ``window_weeks``). A rule fires at most ``max_repeats`` times per candidate per
    ``window_weeks``. ``municipality`` "" applies to every municipality.
    """

    __tablename__ = "signal_rule"

    municipality: str = Field(default="", max_length=80)
    kind: str = Field(max_length=20)
    threshold: float
    min_lessons: int = 0
    window_weeks: int = 4
    max_repeats: int = 1
    active: bool = True


class SignalSent(Identified, table=True):
    """One signal of a rule about a candidate in a period, and when it was sent."""

    __tablename__ = "signal_sent"
    __table_args__ = (
        UniqueConstraint("candidate_id", "rule_id", "period_key", name="uq_signal_sent"),
    )

    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    rule_id: int = Field(foreign_key="signal_rule.id", index=True)
    period_key: str = Field(max_length=20)
    fired_on: date
    sent_on: date | None = None
    sent_by: str = Field(default="", max_length=120)
    klantmanager_id: int | None = Field(default=None, foreign_key="klantmanager.id")
