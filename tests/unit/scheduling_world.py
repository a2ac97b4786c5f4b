"""A small, fresh world for the scheduling tests: two locations, rooms, teachers, kinds.

Everything is built on fixed dates in a new database; groups and slots go through the
scheduling services, the reference data straight into the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import (
    ActivityKind,
    Assessment,
    AttendanceMark,
    AttendanceStatus,
    Candidate,
    Location,
    Provider,
    Room,
    Teacher,
)

TODAY = date(2026, 11, 28)  # a Saturday
ACTOR = Actor("tester", "test-pc")
GROUP_START = date(2026, 8, 31)


@dataclass
class World:
    """Ids of the reference data, and helpers to add groups, slots, members and marks."""

    db: Database
    locations: dict[str, int] = field(default_factory=dict)
    rooms: dict[str, int] = field(default_factory=dict)
    teachers: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    status_id: int = 0

    @classmethod
    def create(cls, folder: Path) -> World:
        """A new database with Druten (Lokaal 1, 2) and Wijchen (Lokaal A) and four teachers."""
        world = cls(Database.open(folder / "world.sqlite", create=True))
        with Session(world.db.engine) as session:
            for name in ("Druten", "Wijchen"):
                location = Location(name=name, municipality=name)
                session.add(location)
                session.flush()
                assert location.id is not None
                world.locations[name] = location.id
            for name, where in (
                ("Lokaal 1", "Druten"),
                ("Lokaal 2", "Druten"),
                ("Lokaal A", "Wijchen"),
            ):
                room = Room(location_id=world.locations[where], name=name)
                session.add(room)
                session.flush()
                assert room.id is not None
                world.rooms[name] = room.id
            provider = Provider(name="ROC Rivor", kind="taal")
            session.add(provider)
            session.flush()
            assert provider.id is not None
            for name, days in (
                ("Anna", "1,2,3,4,5"),
                ("Bram", "1,2,3,4,5"),
                ("Carla", "1,2,3,4,5"),
                ("Dirk", "1,2"),
            ):
                teacher = Teacher(provider_id=provider.id, name=name, available_days=days)
                session.add(teacher)
                session.flush()
                assert teacher.id is not None
                world.teachers[name] = teacher.id
            for code, nl, en in (
                ("NT2", "Nederlands als tweede taal", "Dutch as a second language"),
                ("KNM", "Kennis van de Nederlandse maatschappij", "Knowledge of Dutch society"),
            ):
                kind = ActivityKind(code=code, name_nl=nl, name_en=en, category="taal")
                session.add(kind)
                session.flush()
                assert kind.id is not None
                world.kinds[code] = kind.id
            status = AttendanceStatus(
                code="A", label_nl="aanwezig", label_en="present", counts_present=True
            )
            session.add(status)
            session.flush()
            assert status.id is not None
            world.status_id = status.id
            session.commit()
        return world

    def group(
        self,
        name: str,
        location: str = "Druten",
        *,
        start: date = GROUP_START,
        end: date | None = None,
        capacity: int = 16,
    ) -> str:
        """A new group; returns its uid."""
        return svc.save_group(
            self.db,
            uid=None,
            name=name,
            location_id=self.locations[location],
            level_band="A1-A2",
            capacity=capacity,
            start=start,
            end=end,
            actor=ACTOR,
        )

    def slot(
        self,
        group_uid: str,
        weekday: int,
        start: time = time(9, 0),
        end: time = time(11, 30),
        *,
        teacher: str | None = "Anna",
        room: str | None = "Lokaal 1",
        kind: str = "NT2",
        online: bool = False,
        valid_from: date = GROUP_START,
        valid_to: date | None = None,
    ) -> str:
        """A new weekly slot; returns its uid."""
        return svc.save_slot(
            self.db,
            uid=None,
            group_uid=group_uid,
            weekday=weekday,
            start=start,
            end=end,
            activity_kind_id=self.kinds[kind],
            teacher_id=self.teachers[teacher] if teacher else None,
            room_id=self.rooms[room] if room else None,
            online=online,
            valid_from=valid_from,
            valid_to=valid_to,
            actor=ACTOR,
        )

    def candidate(self, voornamen: str, achternaam: str, klantnummer: str | None = None) -> str:
        """A new candidate; returns its uid."""
        with self.db.session() as session:
            person = Candidate(
                voornamen=voornamen,
                achternaam=achternaam,
                municipality="Druten",
                law="wi2021",
                registration_date=date(2026, 1, 5),
                klantnummer=klantnummer,
                status="actief",
            )
            session.add(person)
            session.flush()
            return person.uid

    def generate(self, start: date, end: date, today: date = TODAY) -> svc.GenerationReport:
        """Generate every group's lessons for a period."""
        return svc.generate_lessons(self.db, start=start, end=end, actor=ACTOR, today=today)

    def lessons(self, start: date, end: date, **filters: str) -> list[svc.LessonRow]:
        """The lessons in a period."""
        return svc.lessons_between(self.db, start, end, **filters)  # type: ignore[arg-type]

    def mark(self, lesson_uid: str, candidate_uid: str) -> None:
        """Record an attendance mark (present) for a candidate in a lesson."""
        with self.db.session() as session:
            conn = session.connection()
            lesson_id = conn.execute(
                text("SELECT id FROM lesson WHERE uid = :uid"), {"uid": lesson_uid}
            ).scalar_one()
            person_id = conn.execute(
                text("SELECT id FROM candidate WHERE uid = :uid"), {"uid": candidate_uid}
            ).scalar_one()
            session.add(
                AttendanceMark(
                    lesson_id=lesson_id,
                    candidate_id=person_id,
                    status_id=self.status_id,
                    recorded_by="docent",
                )
            )

    def assess(self, candidate_uid: str, skill: str, level: str, on: date) -> None:
        """Record a measured level."""
        with self.db.session() as session:
            person_id = (
                session.connection()
                .execute(text("SELECT id FROM candidate WHERE uid = :uid"), {"uid": candidate_uid})
                .scalar_one()
            )
            session.add(
                Assessment(candidate_id=person_id, skill=skill, level=level, assessed_on=on,
                           method="observatie")
            )  # fmt: skip

    def close(self) -> None:
        """Release the database file."""
        self.db.close()
