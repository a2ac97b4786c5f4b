"""The business case: costs entered per period, and the assumptions the sums rest on."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from kvds_desktop.store.models.base import Identified


class CostEntry(Identified, table=True):
    """An amount spent in a period: housing, staff, a provider contract or other.

    ``municipality`` is "" for a cost shared by the municipalities of the pilot.
    """

    __tablename__ = "cost_entry"

    municipality: str = Field(default="", max_length=80, index=True)
    location_id: int | None = Field(default=None, foreign_key="location.id", index=True)
    category: str = Field(max_length=20)  # huisvesting, personeel, aanbieder, overig
    period_start: date
    period_end: date
    amount_eur: float
    note: str = Field(default="", max_length=200)


class Assumption(Identified, table=True):
    """A named value the business case rests on (benefit per month, baseline years ...)."""

    __tablename__ = "assumption"

    key: str = Field(max_length=60, unique=True)
    value: float
    note: str = Field(default="", max_length=200)
