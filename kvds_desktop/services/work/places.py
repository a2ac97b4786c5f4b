"""Places of the Rijk van Nijmegen and around, and the travel time between two of them.

``resources/places.csv`` holds each village or town with its municipality and
approximate coordinates (``place;municipality;lat;lon``). Travel time is an estimate
for matching, not a route planner: the straight-line (haversine) distance times a
detour factor of 1.3, at a speed per means of transport, plus a fixed time for parking
(car) or waiting and changing (public transport). Within one place the trip takes a
fixed time.

Names are found without regard to case, accents, hyphens or extra spaces; a district
or street part after the place ("Nijmegen-Dukenburg", "Wijchen centrum") falls back to
the place, and a municipality's name to its first (main) place in the file.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kvds_desktop.resources import resource

DETOUR = 1.3
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Transport:
    """How fast one means of transport goes, and its fixed times."""

    code: str
    km_per_hour: float
    extra_minutes: int  # parking, waiting, changing
    same_place_minutes: int  # a trip within one place


TRANSPORTS: dict[str, Transport] = {
    "fiets": Transport("fiets", 15.0, 0, 10),
    "lopen": Transport("lopen", 5.0, 0, 10),
    "auto": Transport("auto", 40.0, 5, 8),
    "ov": Transport("ov", 25.0, 12, 15),
    "scooter": Transport("scooter", 25.0, 2, 8),  # a moped (snorfiets), offered by the form
}


@dataclass(frozen=True)
class Place:
    """A village or town with its municipality and coordinates."""

    name: str
    municipality: str
    lat: float
    lon: float


def place_key(name: str) -> str:
    """``name`` folded for lookup: no accents, lower case, hyphens and dots as spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    for separator in "-_.,/()":
        plain = plain.replace(separator, " ")
    return " ".join(plain.split())


def distance_km(a: Place, b: Place) -> float:
    """The great-circle (haversine) distance between two places in kilometres."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def minutes_for(a: Place, b: Place, transport: str) -> int:
    """Estimated door-to-door minutes from ``a`` to ``b`` by ``transport``.

    Raises:
        ValueError: ``transport`` is not one of :data:`TRANSPORTS`.
    """
    means = TRANSPORTS.get(transport)
    if means is None:
        raise ValueError(f"unknown transport {transport!r}; expected one of {sorted(TRANSPORTS)}")
    if a.name == b.name:
        return means.same_place_minutes
    km = distance_km(a, b) * DETOUR
    return round(km / means.km_per_hour * 60) + means.extra_minutes


@dataclass
class Places:
    """The places table, looked up by folded name; build one with :meth:`load`."""

    places: dict[str, Place]
    municipalities: dict[str, Place] = field(default_factory=dict)
    _found: dict[str, Place | None] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Places:
        """Read ``resources/places.csv`` (or ``path``).

        Raises:
            FileNotFoundError: the file is missing (a broken installation).
            ValueError: a row does not have a name and two numbers.
        """
        source = path or resource("places.csv")
        places: dict[str, Place] = {}
        municipalities: dict[str, Place] = {}
        with source.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                place = Place(
                    name=row["place"].strip(),
                    municipality=row["municipality"].strip(),
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                )
                if not place.name:
                    raise ValueError(f"{source}: a row without a place name")
                places.setdefault(place_key(place.name), place)
                municipalities.setdefault(place_key(place.municipality), place)
        return cls(places, municipalities)

    def find(self, name: str) -> Place | None:
        """The place called ``name`` (see the module docstring), or None when unknown."""
        if name in self._found:
            return self._found[name]
        found = self._lookup(name)
        self._found[name] = found
        return found

    def _lookup(self, name: str) -> Place | None:
        key = place_key(name)
        if not key:
            return None
        exact = self.places.get(key) or self.municipalities.get(key)
        if exact is not None:
            return exact
        for part in (place_key(p) for p in name.split(",")):
            words = part.split()
            for size in range(len(words), 0, -1):
                prefix = " ".join(words[:size])
                found = self.places.get(prefix) or self.municipalities.get(prefix)
                if found is not None:
                    return found
        return None

    def travel_minutes(self, from_place: str, to_place: str, transport: str) -> int | None:
        """Estimated minutes from one place to another by ``transport``; None when a place
        is unknown.

        Transport codes are ``fiets`` (15 km/h), ``lopen`` (5 km/h), ``auto`` (40 km/h
        plus 5 minutes parking), ``ov`` (25 km/h plus 12 minutes waiting and changing)
        and ``scooter`` (25 km/h plus 2 minutes); distances are the straight line times
        1.3. Within one place: 10 minutes by bike or on foot, 8 by car, 15 by public
        transport.

        Raises:
            ValueError: ``transport`` is not a known code.
        """
        if transport not in TRANSPORTS:
            raise ValueError(f"unknown transport {transport!r}; use one of {sorted(TRANSPORTS)}")
        a, b = self.find(from_place), self.find(to_place)
        if a is None or b is None:
            return None
        return minutes_for(a, b, transport)
