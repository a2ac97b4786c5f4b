"""The content of a week pack: frozen dataclasses, and their JSON in and out.

A week pack holds only what a teacher needs to take attendance for one week: the
lessons, their groups, the rosters with name parts and membership dates, and the
statuses a teacher may use. Reading checks every field, so a pack that was made by
another version or put together by hand is refused with a clear message instead of
building a broken teacher database.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from kvds_desktop.errors import N_, UserError

PACK_FORMAT = "kvds-week-pack"
PACK_VERSION = 1


class Fields:
    """Typed access to a JSON object; every wrong or missing field raises ``error``."""

    def __init__(self, data: Any, path: str, error: Callable[[str], UserError]) -> None:
        if not isinstance(data, dict):
            raise error(path or "the file")
        self._data: dict[str, Any] = data
        self._path = path
        self._error = error

    def _fail(self, key: str) -> UserError:
        return self._error(f"{self._path}.{key}" if self._path else key)

    def text(self, key: str, max_length: int, *, empty: bool = True) -> str:
        """A string of at most ``max_length`` characters (non-empty unless ``empty``)."""
        value = self._data.get(key)
        if not isinstance(value, str) or len(value) > max_length or (not empty and not value):
            raise self._fail(key)
        return value

    def uid(self, key: str) -> str:
        """A UUID in its text form."""
        value = self.text(key, 36, empty=False)
        try:
            uuid.UUID(value)
        except ValueError:
            raise self._fail(key) from None
        return value

    def flag(self, key: str) -> bool:
        """A JSON boolean."""
        value = self._data.get(key)
        if not isinstance(value, bool):
            raise self._fail(key)
        return value

    def integer(self, key: str, lowest: int, highest: int, *, optional: bool = False) -> int | None:
        """A whole number from ``lowest`` to ``highest`` (None allowed when ``optional``)."""
        value = self._data.get(key)
        if value is None and optional:
            return None
        if type(value) is not int or not lowest <= value <= highest:
            raise self._fail(key)
        return value

    def day(self, key: str, *, optional: bool = False) -> date | None:
        """A date as ``2026-11-30``."""
        value = self._data.get(key)
        if value is None and optional:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(key)
            return date.fromisoformat(value)
        except ValueError:
            raise self._fail(key) from None

    def clock(self, key: str) -> time:
        """A time of day as ``09:30:00``."""
        value = self._data.get(key)
        try:
            if not isinstance(value, str):
                raise ValueError(key)
            return time.fromisoformat(value)
        except ValueError:
            raise self._fail(key) from None

    def stamp(self, key: str, *, optional: bool = False) -> datetime | None:
        """A moment with its time zone, as ISO text."""
        value = self._data.get(key)
        if value is None and optional:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(key)
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self._fail(key) from None
        if moment.utcoffset() is None:
            raise self._fail(key)
        return moment

    def items(self, key: str) -> list[Fields]:
        """A list of JSON objects."""
        value = self._data.get(key)
        if not isinstance(value, list):
            raise self._fail(key)
        return [Fields(item, f"{self._path}.{key}[{i}]".lstrip("."), self._error)
                for i, item in enumerate(value)]  # fmt: skip


def parse_json(payload: bytes, error: Callable[[str], UserError]) -> Any:
    """The JSON value in ``payload``."""
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise error("JSON") from None


@dataclass(frozen=True)
class PackStatus:
    """An attendance status the teacher may use, as the coordinator defined it."""

    code: str
    label_nl: str
    label_en: str
    counts_present: bool
    counts_late: bool
    excused: bool
    needs_reason: bool
    needs_minutes: bool
    teacher_may_use: bool
    active: bool
    sort_order: int


@dataclass(frozen=True)
class PackMember:
    """A candidate on a roster: name parts and membership dates, nothing else."""

    candidate_uid: str
    voornamen: str
    tussenvoegsel: str
    achternaam: str
    start: date
    end: date | None


@dataclass(frozen=True)
class PackGroup:
    """A group of the pack with its roster for the week."""

    uid: str
    name: str
    location_name: str
    level_band: str
    members: tuple[PackMember, ...]


@dataclass(frozen=True)
class PackLesson:
    """A lesson of the week; cancelled lessons are included and flagged."""

    uid: str
    group_uid: str
    lesson_date: date
    start: time
    end: time
    activity_code: str
    activity_name_nl: str
    activity_name_en: str
    teacher_name: str
    room_name: str
    online: bool
    cancelled: bool
    cancel_reason: str


@dataclass(frozen=True)
class WeekPack:
    """A week pack as the teacher app opens it."""

    version: int
    pack_uid: str
    database_uid: str  # the coordinator database it was made from
    teacher_name: str
    week: str
    created_at: datetime
    statuses: tuple[PackStatus, ...]
    groups: tuple[PackGroup, ...]
    lessons: tuple[PackLesson, ...]


def pack_to_json(pack: WeekPack) -> bytes:
    """The pack as compact UTF-8 JSON."""

    def day(value: date | None) -> str | None:
        return value.isoformat() if value is not None else None

    document = {
        "format": PACK_FORMAT,
        "version": pack.version,
        "pack_uid": pack.pack_uid,
        "database_uid": pack.database_uid,
        "teacher_name": pack.teacher_name,
        "week": pack.week,
        "created_at": pack.created_at.isoformat(),
        "statuses": [vars(s) for s in pack.statuses],
        "groups": [
            {
                "uid": g.uid, "name": g.name, "location_name": g.location_name,
                "level_band": g.level_band,
                "members": [
                    {"candidate_uid": m.candidate_uid, "voornamen": m.voornamen,
                     "tussenvoegsel": m.tussenvoegsel, "achternaam": m.achternaam,
                     "start": day(m.start), "end": day(m.end)}
                    for m in g.members
                ],
            }
            for g in pack.groups
        ],
        "lessons": [
            {**vars(lesson), "lesson_date": day(lesson.lesson_date),
             "start": lesson.start.isoformat(), "end": lesson.end.isoformat()}
            for lesson in pack.lessons
        ],
    }  # fmt: skip
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _pack_error(detail: str) -> UserError:
    return UserError(
        N_(
            "This week pack cannot be used: it is incomplete or was not made by KVDS "
            "Desktop ({detail}). Ask the coordinator for a new pack."
        ),
        detail=detail,
    )


def _status(f: Fields) -> PackStatus:
    return PackStatus(
        code=f.text("code", 2, empty=False), label_nl=f.text("label_nl", 80),
        label_en=f.text("label_en", 80), counts_present=f.flag("counts_present"),
        counts_late=f.flag("counts_late"), excused=f.flag("excused"),
        needs_reason=f.flag("needs_reason"), needs_minutes=f.flag("needs_minutes"),
        teacher_may_use=f.flag("teacher_may_use"), active=f.flag("active"),
        sort_order=int(f.integer("sort_order", -(10**6), 10**6) or 0),
    )  # fmt: skip


def _member(f: Fields) -> PackMember:
    start = f.day("start")
    assert start is not None
    return PackMember(
        candidate_uid=f.uid("candidate_uid"), voornamen=f.text("voornamen", 120),
        tussenvoegsel=f.text("tussenvoegsel", 20), achternaam=f.text("achternaam", 120),
        start=start, end=f.day("end", optional=True),
    )  # fmt: skip


def _group(f: Fields) -> PackGroup:
    return PackGroup(
        uid=f.uid("uid"), name=f.text("name", 80, empty=False),
        location_name=f.text("location_name", 80, empty=False),
        level_band=f.text("level_band", 30),
        members=tuple(_member(m) for m in f.items("members")),
    )  # fmt: skip


def _lesson(f: Fields) -> PackLesson:
    day = f.day("lesson_date")
    assert day is not None
    return PackLesson(
        uid=f.uid("uid"), group_uid=f.uid("group_uid"), lesson_date=day,
        start=f.clock("start"), end=f.clock("end"),
        activity_code=f.text("activity_code", 30, empty=False),
        activity_name_nl=f.text("activity_name_nl", 120),
        activity_name_en=f.text("activity_name_en", 120),
        teacher_name=f.text("teacher_name", 120), room_name=f.text("room_name", 80),
        online=f.flag("online"), cancelled=f.flag("cancelled"),
        cancel_reason=f.text("cancel_reason", 200),
    )  # fmt: skip


def pack_from_json(payload: bytes) -> WeekPack:
    """The week pack in ``payload`` (the unsealed JSON), checked field by field.

    Raises:
        UserError: the JSON is not a week pack, was made by a newer version, or a
            field is missing, of the wrong type, or refers to something not in the pack.
    """
    top = Fields(parse_json(payload, _pack_error), "", _pack_error)
    if top.text("format", 40) != PACK_FORMAT:
        raise _pack_error("format")
    version = top.integer("version", 1, 10**6)
    if version != PACK_VERSION:
        raise UserError(
            N_(
                "This week pack was made by a newer version of KVDS Desktop. Install the "
                "newest version of the app to open it."
            )
        )
    created = top.stamp("created_at")
    assert created is not None
    pack = WeekPack(
        version=PACK_VERSION, pack_uid=top.uid("pack_uid"), database_uid=top.uid("database_uid"),
        teacher_name=top.text("teacher_name", 120, empty=False),
        week=top.text("week", 10, empty=False), created_at=created,
        statuses=tuple(_status(s) for s in top.items("statuses")),
        groups=tuple(_group(g) for g in top.items("groups")),
        lessons=tuple(_lesson(lesson) for lesson in top.items("lessons")),
    )  # fmt: skip
    _check_references(pack)
    return pack


def _check_references(pack: WeekPack) -> None:
    """Refuse duplicates and lessons of groups the pack does not hold."""
    group_uids = [g.uid for g in pack.groups]
    codes = [s.code.upper() for s in pack.statuses]
    lesson_uids = [lesson.uid for lesson in pack.lessons]
    if not pack.lessons or not pack.statuses:
        raise _pack_error("lessons" if not pack.lessons else "statuses")
    if len(set(group_uids)) != len(group_uids) or len({g.name for g in pack.groups}) != len(
        group_uids
    ):
        raise _pack_error("groups")
    if len(set(codes)) != len(codes):
        raise _pack_error("statuses")
    if len(set(lesson_uids)) != len(lesson_uids):
        raise _pack_error("lessons")
    for lesson in pack.lessons:
        if lesson.group_uid not in group_uids or lesson.end <= lesson.start:
            raise _pack_error(f"lesson {lesson.uid}")
    for group in pack.groups:
        for member in group.members:
            if member.end is not None and member.end < member.start:
                raise _pack_error(f"member {member.candidate_uid}")
