"""Evaluating candidates against many opportunities at once, fast and exactly.

The opportunities are indexed once: for every rule, the distinct values it depends on
(days, level requirements, licence, certificates, place, hours, places, period) get a
number, and each value a bit set (a Python int) of the opportunities that have it.
Per candidate, every rule is then evaluated once per distinct value, with the same
rule functions that word the reasons; the results are shared by all pairs with that
value. For the proposal path, the failing values' bit sets are OR-ed into one set of
opportunities that certainly fail (:meth:`CandidateEvaluation.survivors`), so pairs are
pruned without building their results, and the survivors are checked in full. The
pruning is exact by construction: the bits come from the rules themselves, and the
few pairs whose outcome depends on more than the value (an opportunity the candidate
already holds a placement on) are never pruned.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from kvds_desktop.services.work.pairs import PairCheck, RuleResult, ScoreWeights
from kvds_desktop.services.work.places import Places
from kvds_desktop.services.work.rules import (
    CandidateFacts,
    OpportunityFacts,
    check_certificates,
    check_days,
    check_hours,
    check_level,
    check_licence,
    check_period,
    check_places,
    check_travel,
    effective_start,
)
from kvds_desktop.services.work.score import score

K = TypeVar("K", bound=Hashable)
Trip = tuple[int, str] | None
NOT_AN_OPPORTUNITY = -1  # for rules evaluated per value, not for one opportunity


@dataclass
class Keyed(Generic[K]):
    """The distinct values of one fact over the opportunities, with a bit set each."""

    values: list[K] = field(default_factory=list)
    bits: list[int] = field(default_factory=list)
    of: list[int] = field(default_factory=list)  # per opportunity: the number of its value
    _number: dict[K, int] = field(default_factory=dict)

    def add(self, value: K, position: int) -> None:
        """Record that the opportunity at ``position`` has ``value``."""
        number = self._number.get(value)
        if number is None:
            number = self._number[value] = len(self.values)
            self.values.append(value)
            self.bits.append(0)
        self.bits[number] |= 1 << position
        self.of.append(number)

    def failing(self, results: Sequence[RuleResult]) -> int:
        """The opportunities whose value failed (``results`` per value number)."""
        found = 0
        for number, result in enumerate(results):
            if not result.passed:
                found |= self.bits[number]
        return found


def bit_positions(bits: int) -> Iterator[int]:
    """The positions of the set bits, lowest first."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


class OpportunityIndex:
    """The opportunities to match, keyed per rule (see the module docstring)."""

    def __init__(self, opportunities: Sequence[OpportunityFacts], today: date) -> None:
        self.opportunities = tuple(opportunities)
        self.today = today
        self.all_bits = (1 << len(self.opportunities)) - 1
        self.days: Keyed[frozenset[int]] = Keyed()
        self.levels: Keyed[tuple[tuple[str, str], ...]] = Keyed()
        self.licence: Keyed[bool] = Keyed()
        self.certificates: Keyed[tuple[tuple[str, frozenset[str]], ...]] = Keyed()
        self.place: Keyed[str] = Keyed()
        self.hours: Keyed[int | None] = Keyed()
        # (active, when it can be started, its end date once passed): all the period
        # rule looks at, so the opportunities that have begun share one value
        self.period: Keyed[tuple[bool, date, date | None]] = Keyed()
        self.sector: Keyed[str] = Keyed()
        self.places: list[RuleResult] = []  # for candidates not holding a place on it
        self.no_place_bits = 0
        self._position = {o.id: position for position, o in enumerate(self.opportunities)}
        self._held: dict[int, int] = {}  # candidate id -> bits of the opportunities held
        for position, o in enumerate(self.opportunities):
            for holder in o.holders:
                self._held[holder] = self._held.get(holder, 0) | 1 << position
            self.days.add(o.days, position)
            self.levels.add(o.requirements, position)
            self.licence.add(o.licence, position)
            self.certificates.add(o.certificates, position)
            self.place.add(o.place, position)
            self.hours.add(o.hours, position)
            ended = o.end if o.end is not None and o.end < today else None
            self.period.add((o.active, effective_start(o.start, today), ended), position)
            self.sector.add(o.sector, position)
            places = check_places(o.places, len(o.holders))
            self.places.append(places)
            if not places.passed:
                self.no_place_bits |= 1 << position

    def held_bits(self, c: CandidateFacts) -> int:
        """The opportunities ``c`` holds an active placement on (by either record)."""
        bits = self._held.get(c.id, 0)
        for opportunity_id in c.placement_opportunities:
            position = self._position.get(opportunity_id)
            if position is not None:
                bits |= 1 << position
        return bits


class CandidateEvaluation:
    """One candidate against the indexed opportunities, every rule result shared per value.

    Each rule is evaluated up front for every distinct value (a few dozen per rule);
    a pair's results are then looked up, not computed.
    """

    def __init__(
        self,
        c: CandidateFacts,
        index: OpportunityIndex,
        places: Places,
        trips: dict[tuple[str, str, tuple[str, ...]], Trip],
        weights: ScoreWeights,
    ) -> None:
        self.c = c
        self.index = index
        self._places = places
        self._trips = trips
        self._weights = weights
        today = index.today
        self.days = [check_days(c, v, NOT_AN_OPPORTUNITY) for v in index.days.values]
        self.levels = [check_level(c, v) for v in index.levels.values]
        self.licence = [check_licence(c, v) for v in index.licence.values]
        self.certificates = [check_certificates(c, v) for v in index.certificates.values]
        self.trips = [self._trip(v) for v in index.place.values]
        self.travel = [
            self._travel(v, t) for v, t in zip(index.place.values, self.trips, strict=True)
        ]
        self.hours = [check_hours(c, v) for v in index.hours.values]
        self.period = [check_period(c, v[0], v[1], v[2], today) for v in index.period.values]
        self.held = index.held_bits(c)  # outcome depends on the pair: never looked up
        self.failing = (
            index.days.failing(self.days)
            | index.levels.failing(self.levels)
            | index.licence.failing(self.licence)
            | index.certificates.failing(self.certificates)
            | index.place.failing(self.travel)
            | index.hours.failing(self.hours)
            | index.no_place_bits
            | index.period.failing(self.period)
        ) & ~self.held
        self._failing_flags = self._flags(self.failing)
        self._held_flags = self._flags(self.held)
        self._scores: dict[tuple[int, int], tuple[float, dict[str, float]]] = {}

    def _trip(self, place: str) -> Trip:
        key = (self.c.place, place, self.c.transports)
        if key not in self._trips:
            options = []
            for transport in self.c.transports:
                minutes = self._places.travel_minutes(self.c.place, place, transport)
                if minutes is not None:
                    options.append((minutes, transport))
            self._trips[key] = min(options) if options else None
        return self._trips[key]

    def _travel(self, place: str, trip: Trip) -> RuleResult:
        unknown = ""
        if trip is None:
            for name in (self.c.place, place):
                if not name or self._places.find(name) is None:
                    unknown = name
                    break
        return check_travel(self.c, trip, unknown)

    def _flags(self, bits: int) -> str:
        """``bits`` as a string of "0" and "1" per opportunity position (cheap to index)."""
        return format(bits, f"0{len(self.index.opportunities)}b")[::-1] if bits else ""

    def results(self, position: int) -> tuple[RuleResult, ...]:
        """Every rule's result for the opportunity at ``position``, in RULES order."""
        index = self.index
        days = self.days[index.days.of[position]]
        places = index.places[position]
        if self._held_flags and self._held_flags[position] == "1":
            o = index.opportunities[position]
            days = check_days(self.c, o.days, o.id)
            if self.c.id in o.holders:
                places = check_places(o.places, len(o.holders) - 1)
        return (
            days,
            self.levels[index.levels.of[position]],
            self.licence[index.licence.of[position]],
            self.certificates[index.certificates.of[position]],
            self.travel[index.place.of[position]],
            self.hours[index.hours.of[position]],
            places,
            self.period[index.period.of[position]],
        )

    def check(self, position: int) -> PairCheck:
        """The full check of the pair with the opportunity at ``position``."""
        index = self.index
        o = index.opportunities[position]
        results = self.results(position)
        value, parts = 0.0, {}
        if self._failing_flags and self._failing_flags[position] == "1":
            feasible = False
        elif self._held_flags and self._held_flags[position] == "1":
            feasible = all(r.passed for r in results)
        else:
            feasible = True
        if feasible:
            place_number = index.place.of[position]
            key = (index.sector.of[position], place_number)
            if key not in self._scores:
                trip = self.trips[place_number]
                minutes = trip[0] if trip is not None else 0
                self._scores[key] = score(self.c, o.sector, minutes, self._weights, index.today)
            value, shared = self._scores[key]
            parts = dict(shared)
        return PairCheck(
            candidate_uid=self.c.uid, candidate_name=self.c.name, opportunity_uid=o.uid,
            opportunity_title=o.title, organisation=o.organisation, results=results,
            score=value, score_parts=parts,
        )  # fmt: skip

    def survivors(self) -> int:
        """The opportunities not certainly failing a rule: the feasible ones, and those the
        candidate holds a placement on (check these in full)."""
        return self.index.all_bits & ~self.failing
