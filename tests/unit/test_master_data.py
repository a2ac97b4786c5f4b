"""Master data: every save validates, refuses duplicates kindly, and is audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from kvds_desktop.errors import UserError
from kvds_desktop.services import master_data as md
from kvds_desktop.services.audit import Actor
from kvds_desktop.store.database import Database
from kvds_desktop.store.models import AuditEntry, Group, Lesson, Teacher, TimetableSlot

ACTOR = Actor("coordinator", "laptop")
START = date(2026, 9, 1)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "x.sqlite", create=True)
    yield database
    database.close()


def audit(db: Database, action: str) -> list[AuditEntry]:
    with db.session() as session:
        return list(
            session.exec(
                select(AuditEntry)
                .where(col(AuditEntry.action) == action)
                .order_by(col(AuditEntry.id))
            ).all()
        )


def location(db: Database, name: str = "Druten", **changes: Any) -> int:
    values: dict[str, Any] = {
        "id": None,
        "name": name,
        "municipality": "Druten",
        "address": "Hogeweg 1",
        "postcode": "6651ab",
        "city": "Druten",
        "actor": ACTOR,
    }
    return md.save_location(db, **(values | changes))


def provider(db: Database, name: str = "ROC Rivor", **changes: Any) -> int:
    values: dict[str, Any] = {
        "id": None,
        "name": name,
        "kind": "taal",
        "contact_name": "Els de Wit",
        "contact_email": "els@rivor.example",
        "actor": ACTOR,
    }
    return md.save_provider(db, **(values | changes))


def teacher(db: Database, provider: int | None, name: str = "Anna Jansen", **changes: Any) -> int:
    values: dict[str, Any] = {
        "id": None,
        "provider_id": provider,
        "name": name,
        "email": "anna@rivor.example",
        "phone": "024 123 45 67",
        "available_days": "1,2,3",
        "available_from": time(8, 30),
        "available_until": time(16, 0),
        "active": True,
        "actor": ACTOR,
    }
    return md.save_teacher(db, **(values | changes))


def activity(db: Database, code: str = "NT2", **changes: Any) -> int:
    values: dict[str, Any] = {
        "id": None,
        "code": code,
        "name_nl": "Nederlands als tweede taal",
        "name_en": "Dutch as a second language",
        "category": "taal",
        "actor": ACTOR,
    }
    return md.save_activity(db, **(values | changes))


# --- locations --------------------------------------------------------------------------------


def test_a_location_is_added_changed_and_audited(db: Database) -> None:
    first = location(db)
    rows = md.list_locations(db)
    assert [(r.id, r.name, r.postcode, r.address, r.rooms) for r in rows] == [
        (first, "Druten", "6651 AB", "Hogeweg 1", 0)
    ]
    location(db, id=first, name="Druten  centrum ", address="Hogeweg 3")
    (row,) = md.list_locations(db)
    assert (row.name, row.address, row.municipality) == ("Druten centrum", "Hogeweg 3", "Druten")
    (added,) = audit(db, "location.add")
    assert added.record_uid == row.uid and json.loads(added.new_values)["name"] == "Druten"
    (changed,) = audit(db, "location.update")
    assert json.loads(changed.old_values) == {"name": "Druten", "address": "Hogeweg 1"}
    assert json.loads(changed.new_values) == {"name": "Druten centrum", "address": "Hogeweg 3"}


def test_saving_a_location_unchanged_writes_no_audit(db: Database) -> None:
    first = location(db)
    location(db, id=first)
    assert audit(db, "location.update") == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "A location needs a name of at most 80 characters."),
        ({"name": "x" * 81}, "A location needs a name of at most 80 characters."),
        ({"municipality": ""}, "A location needs a municipality of at most 80 characters."),
        ({"address": "x" * 201}, "The address is too long (at most 200 characters)."),
        ({"postcode": "0651 AB"}, "0651 AB is not a Dutch postcode (1234 AB)."),
        ({"city": "x" * 81}, "The city is too long (at most 80 characters)."),
        ({"id": 999}, "This location does not exist; refresh the list."),
    ],
)
def test_a_wrong_location_is_refused(db: Database, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError) as caught:
        location(db, **changes)
    assert str(caught.value) == message
    assert md.list_locations(db) == []


def test_a_location_name_in_use_is_refused_in_any_case(db: Database) -> None:
    location(db, "Druten")
    other = location(db, "Wijchen", municipality="Wijchen")
    with pytest.raises(UserError, match=r"There is already a location called DRUTEN\."):
        location(db, "DRUTEN")
    with pytest.raises(UserError, match=r"There is already a location called druten\."):
        location(db, "druten", id=other)
    assert sorted(r.name for r in md.list_locations(db)) == ["Druten", "Wijchen"]


# --- rooms ------------------------------------------------------------------------------------


def test_rooms_are_added_counted_and_changed(db: Database) -> None:
    druten = location(db)
    wijchen = location(db, "Wijchen", municipality="Wijchen")
    room = md.save_room(db, id=None, location_id=druten, name="Lokaal 1", capacity=12, actor=ACTOR)
    md.save_room(db, id=None, location_id=wijchen, name="Lokaal 1", capacity=10, actor=ACTOR)
    assert [(r.location_name, r.name, r.capacity) for r in md.list_rooms(db)] == [
        ("Druten", "Lokaal 1", 12),
        ("Wijchen", "Lokaal 1", 10),
    ]
    assert [r.rooms for r in md.list_locations(db)] == [1, 1]
    md.save_room(db, id=room, location_id=druten, name="Lokaal 1", capacity=14, actor=ACTOR)
    (changed,) = audit(db, "room.update")
    assert json.loads(changed.old_values) == {"capacity": 12}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "A room needs a name of at most 80 characters."),
        ({"capacity": 0}, "The capacity is a whole number from 1 to 100."),
        ({"capacity": 101}, "The capacity is a whole number from 1 to 100."),
        ({"location_id": None}, "Choose the location of the room."),
        ({"location_id": 999}, "This location does not exist; refresh the list."),
        ({"id": 999}, "This room no longer exists; refresh the list."),
    ],
)
def test_a_wrong_room_is_refused(db: Database, changes: dict[str, Any], message: str) -> None:
    values: dict[str, Any] = {"id": None, "location_id": location(db), "name": "Lokaal 2"}
    values |= {"capacity": 16, "actor": ACTOR}
    with pytest.raises(UserError) as caught:
        md.save_room(db, **(values | changes))
    assert str(caught.value) == message
    assert md.list_rooms(db) == []


def test_a_room_name_is_unique_per_location(db: Database) -> None:
    druten = location(db)
    md.save_room(db, id=None, location_id=druten, name="Lokaal 1", capacity=12, actor=ACTOR)
    with pytest.raises(
        UserError, match=r"There is already a room called lokaal 1 at this location\."
    ):
        md.save_room(db, id=None, location_id=druten, name="lokaal 1", capacity=8, actor=ACTOR)


def test_an_unused_room_is_removed_and_a_used_one_is_refused(db: Database) -> None:
    druten = location(db)
    free = md.save_room(db, id=None, location_id=druten, name="Spare", capacity=6, actor=ACTOR)
    used = md.save_room(db, id=None, location_id=druten, name="Lokaal 1", capacity=12, actor=ACTOR)
    kind = activity(db)
    with db.session() as session:
        group = Group(name="DRU-A1", location_id=druten, start_date=START)
        session.add(group)
        session.flush()
        assert group.id is not None
        session.add(
            TimetableSlot(
                group_id=group.id,
                weekday=1,
                start_time=time(9, 0),
                end_time=time(12, 0),
                activity_kind_id=kind,
                room_id=used,
                valid_from=START,
            )
        )
    md.delete_room(db, free, ACTOR)
    assert [r.name for r in md.list_rooms(db)] == ["Lokaal 1"]
    (removed,) = audit(db, "room.delete")
    assert json.loads(removed.old_values)["name"] == "Spare"
    with pytest.raises(UserError) as caught:
        md.delete_room(db, used, ACTOR)
    assert str(caught.value) == (
        "Room Lokaal 1 cannot be removed: 1 weekly slots and 0 lessons use it. "
        "Give them another room first."
    )
    with pytest.raises(UserError, match="This room no longer exists"):
        md.delete_room(db, free, ACTOR)


def test_a_room_used_by_a_lesson_only_is_kept(db: Database) -> None:
    druten = location(db)
    room = md.save_room(db, id=None, location_id=druten, name="Lokaal 1", capacity=12, actor=ACTOR)
    kind = activity(db)
    with db.session() as session:
        group = Group(name="DRU-A1", location_id=druten, start_date=START)
        session.add(group)
        session.flush()
        assert group.id is not None
        session.add(
            Lesson(
                group_id=group.id,
                lesson_date=date(2026, 11, 30),
                start_time=time(9, 0),
                end_time=time(12, 0),
                activity_kind_id=kind,
                room_id=room,
            )
        )
    with pytest.raises(UserError, match="0 weekly slots and 1 lessons"):
        md.delete_room(db, room, ACTOR)
    assert len(md.list_rooms(db)) == 1


# --- providers --------------------------------------------------------------------------------


def test_a_provider_is_added_and_changed(db: Database) -> None:
    first = provider(db)
    provider(db, id=first, kind="training", contact_email="")
    (row,) = md.list_providers(db)
    assert (row.name, row.kind, row.contact_email, row.teachers) == ("ROC Rivor", "training", "", 0)
    (changed,) = audit(db, "provider.update")
    assert json.loads(changed.old_values) == {"kind": "taal", "contact_email": "els@rivor.example"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "A provider needs a name of at most 120 characters."),
        ({"kind": "school"}, "school is not a kind of provider."),
        ({"kind": None}, " is not a kind of provider."),
        ({"contact_name": "x" * 121}, "The contact name is too long (at most 120 characters)."),
        ({"contact_email": "els at rivor"}, "els at rivor is not an e-mail address."),
        ({"id": 999}, "This provider does not exist; refresh the list."),
    ],
)
def test_a_wrong_provider_is_refused(db: Database, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError) as caught:
        provider(db, **changes)
    assert str(caught.value) == message
    assert md.list_providers(db) == []


def test_a_provider_name_in_use_is_refused(db: Database) -> None:
    provider(db)
    with pytest.raises(UserError, match=r"There is already a provider called roc rivor\."):
        provider(db, "roc rivor", kind="training")


# --- teachers ---------------------------------------------------------------------------------


def test_a_teacher_is_added_listed_and_deactivated(db: Database) -> None:
    rivor = provider(db)
    anna = teacher(db, rivor, available_days=" 3, 1,2,1")
    (row,) = md.list_teachers(db)
    assert (row.id, row.provider_name, row.name, row.available_days) == (
        anna,
        "ROC Rivor",
        "Anna Jansen",
        "1,2,3",
    )
    assert (row.available_from, row.available_until, row.active) == (time(8, 30), time(16), True)
    assert md.list_providers(db)[0].teachers == 1
    teacher(db, rivor, id=anna, active=False, available_days="1,2,3")
    (row,) = md.list_teachers(db)
    assert row.active is False
    (changed,) = audit(db, "teacher.update")
    assert json.loads(changed.old_values) == {"active": True}
    assert json.loads(changed.new_values) == {"active": False}
    (added,) = audit(db, "teacher.add")
    assert json.loads(added.new_values)["available_from"] == "08:30:00"
    with db.session() as session:
        assert len(session.exec(select(Teacher)).all()) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "A teacher needs a name of at most 120 characters."),
        ({"email": "anna@"}, "anna@ is not an e-mail address."),
        ({"phone": "1" * 41}, "The phone number is too long (at most 40 characters)."),
        (
            {"available_days": "1,8"},
            "Available days are weekday numbers 1 to 7, separated by commas.",
        ),
        (
            {"available_days": "ma,di"},
            "Available days are weekday numbers 1 to 7, separated by commas.",
        ),
        ({"available_days": ""}, "Choose at least one day the teacher is available."),
        ({"available_from": None}, "Say from and until what time the teacher is available."),
        (
            {"available_from": time(16), "available_until": time(9)},
            "The teacher's available hours end before they start.",
        ),
        (
            {"available_from": time(9), "available_until": time(9)},
            "The teacher's available hours end before they start.",
        ),
        ({"provider": None}, "Choose the provider of the teacher."),
        ({"provider": 999}, "This provider does not exist; refresh the list."),
        ({"id": 999}, "This teacher no longer exists; refresh the list."),
    ],
)
def test_a_wrong_teacher_is_refused(db: Database, changes: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"provider": provider(db)} | changes
    with pytest.raises(UserError) as caught:
        teacher(db, **arguments)
    assert str(caught.value) == message
    assert md.list_teachers(db) == []


def test_a_teacher_name_in_use_is_refused(db: Database) -> None:
    rivor = provider(db)
    other = provider(db, "Academie voor Zelfstandigheid", kind="training")
    teacher(db, rivor)
    with pytest.raises(UserError, match=r"There is already a teacher called anna jansen\."):
        teacher(db, other, "anna jansen")


# --- activity kinds ---------------------------------------------------------------------------


def test_an_activity_is_added_and_changed(db: Database) -> None:
    nt2 = activity(db)
    activity(db, "KNM", name_nl="Kennis Nederlandse maatschappij", category="knm")
    activity(db, id=nt2, name_en="Dutch (NT2)")
    rows = md.list_activities(db)
    assert [(r.code, r.name_en, r.category) for r in rows] == [
        ("KNM", "Dutch as a second language", "knm"),
        ("NT2", "Dutch (NT2)", "taal"),
    ]
    (changed,) = audit(db, "activity_kind.update")
    assert changed.record_uid == str(nt2)
    assert json.loads(changed.new_values) == {"name_en": "Dutch (NT2)"}
    assert [a.record_uid for a in audit(db, "activity_kind.add")] == [str(nt2), str(nt2 + 1)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": ""}, "An activity needs a code of at most 30 characters, without spaces."),
        ({"code": "NT 2"}, "An activity needs a code of at most 30 characters, without spaces."),
        ({"code": "X" * 31}, "An activity needs a code of at most 30 characters, without spaces."),
        ({"name_nl": ""}, "An activity needs a Dutch name of at most 120 characters."),
        ({"name_en": "x" * 121}, "An activity needs an English name of at most 120 characters."),
        ({"category": "sport"}, "sport is not an activity category."),
        ({"id": 999}, "This activity no longer exists; refresh the list."),
    ],
)
def test_a_wrong_activity_is_refused(db: Database, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError) as caught:
        activity(db, **changes)
    assert str(caught.value) == message
    assert md.list_activities(db) == []


def test_an_activity_code_in_use_is_refused(db: Database) -> None:
    activity(db, "NT2")
    knm = activity(db, "KNM", category="knm")
    with pytest.raises(UserError, match=r"There is already an activity with the code nt2\."):
        activity(db, "nt2")
    with pytest.raises(UserError, match=r"There is already an activity with the code NT2\."):
        activity(db, "NT2", id=knm)
    assert len(md.list_activities(db)) == 2
