"""Who may change what: the roles of the people working in one (regional) database.

A regional database holds the candidates of several municipalities. Every person who
works in it has a *role* and is limited to one municipality or to all of them (their
*scope*). What a role may change is a closed list of *areas*; reading is allowed to every
role, within the scope.

The matrix (``x``: may change; everything not marked is read-only for that role):

=================  ===========  =======  =========  ============
area               coordinator  teacher  job coach  municipality
=================  ===========  =======  =========  ============
candidates         x
notes              x            x        x
attendance         x            x
lessons            x            x
progress           x            x
work               x                     x
schedule           x
master data        x
users              x
=================  ===========  =======  =========  ============

* *candidates*: the record itself, PIP versions, term extensions, status changes, the
  import baseline and outflow decisions (they change the candidate's status).
* *notes*: the dated notes in a candidate's log (teachers and job coaches write them too).
* *attendance*: marks, absence signals sent, offline marks and their conflicts.
* *lessons*: the lesson-level details of a held lesson (teacher, room, cancelled, note)
  and the packs a teacher receives.
* *progress*: assessments, module progress and exam parts and attempts.
* *work*: organisations and their contacts, opportunities, match decisions, employer
  consent, placements and their steps, the participation ladder and the work profile.
* *schedule*: groups, memberships, timetable slots and closures (planning, coordinator).
* *master data*: locations, rooms, providers, teachers, statuses, rules, costs.
* *users*: the people who may work in the database.

The municipality role (the klantmanager's view) changes nothing: it reads and exports
the candidates of its municipality. The audit trail is written by everyone, as a record
of what they did; it is not an area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a person does in the programme; decides what they may change."""

    COORDINATOR = "coordinator"
    TEACHER = "teacher"
    JOB_COACH = "job_coach"
    MUNICIPALITY = "municipality"


class Area(StrEnum):
    """A part of the data that is changed as a whole by the same kind of person."""

    CANDIDATES = "candidates"
    NOTES = "notes"
    ATTENDANCE = "attendance"
    LESSONS = "lessons"
    PROGRESS = "progress"
    WORK = "work"
    SCHEDULE = "schedule"
    MASTER_DATA = "master_data"
    USERS = "users"


WRITES: dict[Role, frozenset[Area]] = {
    Role.COORDINATOR: frozenset(Area),
    Role.TEACHER: frozenset({Area.NOTES, Area.ATTENDANCE, Area.LESSONS, Area.PROGRESS}),
    Role.JOB_COACH: frozenset({Area.NOTES, Area.WORK}),
    Role.MUNICIPALITY: frozenset(),
}


def parse_role(text: str) -> Role | None:
    """The role named ``text`` (``job-coach`` and ``Job_Coach`` too), or None."""
    key = text.strip().casefold().replace("-", "_").replace(" ", "_")
    try:
        return Role(key)
    except ValueError:
        return None


def may_change(role: Role, area: Area) -> bool:
    """Whether ``role`` may add, change or delete data of ``area``."""
    return area in WRITES[role]


@dataclass(frozen=True)
class Scope:
    """The municipalities a person works for: ``None`` means every municipality."""

    municipalities: frozenset[str] | None = None

    @classmethod
    def of(cls, municipality: str | None) -> Scope:
        """The scope of one municipality, or of all when ``municipality`` is None or empty."""
        return cls(frozenset({municipality}) if municipality else None)

    @property
    def everything(self) -> bool:
        """Whether every municipality is in scope."""
        return self.municipalities is None

    def covers(self, municipality: str | None) -> bool:
        """Whether a candidate of ``municipality`` is in scope."""
        return self.municipalities is None or municipality in self.municipalities

    def covers_all(self, municipalities: Iterable[str | None]) -> bool:
        """Whether every one of ``municipalities`` is in scope."""
        return all(self.covers(name) for name in municipalities)

    def names(self) -> tuple[str, ...]:
        """The municipalities in scope, sorted (empty for every municipality)."""
        return tuple(sorted(self.municipalities or ()))


def restricted(role: Role, scope: Scope) -> bool:
    """Whether anything at all is kept from ``role`` in ``scope`` (else nothing to enforce)."""
    return role is not Role.COORDINATOR or not scope.everything
