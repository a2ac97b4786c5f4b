"""Calendars: valid ICS for two parsers, stable UIDs and event texts, cancelled events."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from kvds_desktop.errors import UserError
from kvds_desktop.services import scheduling as svc
from kvds_desktop.services.scheduling.calendar_ics import calendar_ics
from tests.unit.scheduling_world import ACTOR, World

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = World.create(tmp_path)
    druten, wijchen = built.group("DRU-A1"), built.group("WIJ-A1", "Wijchen")
    built.slot(druten, 1)
    built.slot(druten, 3, time(13), time(14, 30), kind="KNM", teacher="Carla", room=None,
               online=True)  # fmt: skip
    built.slot(wijchen, 2, teacher="Anna", room="Lokaal A")
    built.generate(*DECEMBER)
    yield built
    built.close()


def _group(world: World, name: str = "DRU-A1") -> str:
    return svc.find_group(world.db, name)


def _events(data: bytes) -> dict[str, str]:
    """Each VEVENT's text by its UID, exactly as written."""
    found = {}
    for chunk in data.decode("utf-8").split("BEGIN:VEVENT")[1:]:
        body = chunk.split("END:VEVENT")[0]
        match = re.search(r"^UID:(.*?)\r?$", body, re.MULTILINE)
        assert match is not None
        found[match.group(1)] = body
    return found


def test_a_group_calendar_parses_with_two_parsers_and_has_every_lesson(world: World) -> None:
    group = _group(world)
    lessons = world.lessons(*DECEMBER, group_uid=group)
    data = calendar_ics(world.db, group_uid=group, start=DECEMBER[0], end=DECEMBER[1], now=NOW,
                        name="DRU-A1")  # fmt: skip

    parsed = icalendar.Calendar.from_ical(data)
    events = parsed.walk("VEVENT")
    assert len(events) == len(lessons) == 9  # four Mondays and five Wednesdays
    assert {str(e["UID"]) for e in events} == {f"{row.uid}@kvds-desktop" for row in lessons}
    first = events[0]  # Wednesday 2 December, 13:00, online
    assert str(first["SUMMARY"]) == "Kennis van de Nederlandse maatschappij – DRU-A1"
    assert str(first["LOCATION"]) == "online"
    assert first.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 12, 2, 13, 0)
    assert str(first["STATUS"]) == "CONFIRMED" and int(first["SEQUENCE"]) == 0
    assert "Carla" in str(first["DESCRIPTION"])
    monday = events[1]
    assert str(monday["SUMMARY"]) == "Nederlands als tweede taal – DRU-A1"
    assert str(monday["LOCATION"]) == "Druten, Lokaal 1"
    assert b"DTSTART;TZID=Europe/Amsterdam:20261207T090000" in data
    assert b"BEGIN:VTIMEZONE" in data and b"X-WR-CALNAME:DRU-A1" in data
    online = [e for e in events if str(e["LOCATION"]) == "online"]
    assert len(online) == 5

    second = vobject.readOne(data.decode("utf-8"))
    assert len(second.vevent_list) == len(lessons)
    starts = sorted(event.dtstart.value for event in second.vevent_list)
    assert starts[0].utcoffset() == timedelta(hours=1)  # CET in December
    assert (starts[0].date(), starts[0].hour) == (date(2026, 12, 2), 13)


def test_re_exporting_after_a_change_keeps_every_other_event_identical(world: World) -> None:
    group = _group(world)
    export = lambda: calendar_ics(  # noqa: E731
        world.db, group_uid=group, start=DECEMBER[0], end=DECEMBER[1], now=NOW
    )
    before = _events(export())
    assert _events(export()) == before
    monday = next(r for r in world.lessons(*DECEMBER, group_uid=group) if r.activity_code == "NT2")
    svc.move_lesson(world.db, monday.uid, new_date=monday.lesson_date + timedelta(days=1),
                    start=time(9), end=time(11, 30), actor=ACTOR)  # fmt: skip
    after = _events(export())
    moved = f"{monday.uid}@kvds-desktop"
    assert set(before) <= set(after)
    for uid, text in before.items():
        if uid != moved:
            assert after[uid] == text
    assert after[moved] != before[moved]
    assert "SEQUENCE:1" in after[moved] and "SEQUENCE:0" in before[moved]
    (left_behind,) = set(after) - set(before)  # the cancelled copy at the original time
    assert "STATUS:CANCELLED" in after[left_behind]
    assert len(after) == len(world.lessons(*DECEMBER, group_uid=group))


def test_a_cancelled_lesson_is_a_cancelled_event_with_its_reason(world: World) -> None:
    group = _group(world)
    lesson = world.lessons(*DECEMBER, group_uid=group)[0]
    svc.cancel_lesson(world.db, lesson.uid, "docent ziek", ACTOR)
    data = calendar_ics(world.db, group_uid=group, start=DECEMBER[0], end=DECEMBER[1], now=NOW,
                        language="en")  # fmt: skip
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    cancelled = events[f"{lesson.uid}@kvds-desktop"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "docent ziek" in str(cancelled["DESCRIPTION"])
    assert int(cancelled["SEQUENCE"]) == 1
    assert str(cancelled["SUMMARY"]).startswith("Knowledge of Dutch society")
    others = [e for uid, e in events.items() if uid != f"{lesson.uid}@kvds-desktop"]
    assert {str(e["STATUS"]) for e in others} == {"CONFIRMED"}


def test_teacher_and_candidate_calendars(world: World) -> None:
    anna = svc.find_teacher(world.db, "anna")
    data = calendar_ics(world.db, teacher_id=anna, start=DECEMBER[0], end=DECEMBER[1], now=NOW)
    assert data.count(b"BEGIN:VEVENT") == 9  # four Mondays in Druten, five Tuesdays in Wijchen
    amal = world.candidate("Amal", "Haddad")
    svc.add_member(world.db, _group(world), amal, date(2026, 12, 14), ACTOR)
    data = calendar_ics(world.db, candidate_uid=amal, start=DECEMBER[0], end=DECEMBER[1], now=NOW)
    expected = world.lessons(*DECEMBER, candidate_uid=amal)
    assert data.count(b"BEGIN:VEVENT") == len(expected) == 6  # from 14 December on
    with pytest.raises(ValueError, match="timezone"):
        calendar_ics(world.db, start=DECEMBER[0], end=DECEMBER[1], now=datetime(2026, 11, 28))


def test_write_calendar(world: World, tmp_path: Path) -> None:
    data = calendar_ics(world.db, start=DECEMBER[0], end=DECEMBER[1], now=NOW)
    target = tmp_path / "rooster.ics"
    svc.write_calendar(target, data)
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".rooster")] == []
    with pytest.raises(UserError, match="does not exist"):
        svc.write_calendar(tmp_path / "missing" / "rooster.ics", data)
    with pytest.raises(UserError, match="is a folder"):
        svc.write_calendar(tmp_path, data)
