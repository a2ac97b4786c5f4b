"""Locations, rooms, providers and teachers."""

from __future__ import annotations

from datetime import time

from sqlmodel import Field

from kvds_desktop.store.models.base import Identified


class Location(Identified, table=True):
    """A learning location (Druten, Wijchen)."""

    __tablename__ = "location"

    name: str = Field(max_length=80, unique=True)
    municipality: str = Field(max_length=80)
    address: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=80)


class Room(Identified, table=True):
    """A room at a location."""

    __tablename__ = "room"

    location_id: int = Field(foreign_key="location.id", index=True)
    name: str = Field(max_length=80)
    capacity: int = 16


class Provider(Identified, table=True):
    """A contracted provider: language school, training provider, employer services."""

    __tablename__ = "provider"

    name: str = Field(max_length=120, unique=True)
    kind: str = Field(max_length=40)
    contact_name: str = Field(default="", max_length=120)
    contact_email: str = Field(default="", max_length=200)


class Teacher(Identified, table=True):
    """A teacher or trainer of a provider, with the hours they are available."""

    __tablename__ = "teacher"

    provider_id: int = Field(foreign_key="provider.id", index=True)
    name: str = Field(max_length=120)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    available_days: str = Field(default="1,2,3,4,5", max_length=20)  # ISO weekdays
    available_from: time = time(8, 30)
    available_until: time = time(17, 0)
    active: bool = True
