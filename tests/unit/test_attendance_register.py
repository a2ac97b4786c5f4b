"""The lesson register: real marks, changes with audit and history, validation, undo."""

from __future__ import annotations

from datetime import date

import pytest

from kvds_desktop.errors import UserError
from kvds_desktop.services import attendance as att
from kvds_desktop.services import scheduling as svc
from kvds_desktop.store.database import Database
from tests.unit.scheduling_world import ACTOR
from tests.unit.test_attendance_world import MON_1, MON_2, NOW, AttendanceWorld, aw

__all__ = ["aw"]


def test_a_new_register_shows_the_roster_without_marks(aw: AttendanceWorld) -> None:
    header, rows = att.open_register(aw.db, aw.lesson(MON_1))
    assert header.group_name == "DRU-A1" and header.lesson_date == MON_1
    assert header.teacher_name == "Anna" and not header.cancelled
    assert [r.name for r in rows] == ["Chaya Berhane", "Amal Haddad", "Bilal Nasser"]
    assert all(r.mark is None for r in rows)


def test_reopening_shows_the_real_marks(aw: AttendanceWorld) -> None:
    aw.mark(MON_1, "Amal", "L", minutes=10)
    aw.mark(MON_1, "Bilal", "M", reason="ziek", note="belde om 8:30")
    _, rows = att.open_register(aw.db, aw.lesson(MON_1))
    marks = {r.name: r.mark for r in rows}
    assert marks["Chaya Berhane"] is None
    amal = marks["Amal Haddad"]
    assert amal is not None and (amal.status_code, amal.minutes) == ("L", 10)
    assert amal.recorded_by == ACTOR.name and amal.source == ACTOR.device
    bilal = marks["Bilal Nasser"]
    assert bilal is not None and (bilal.reason, bilal.note) == ("ziek", "belde om 8:30")


def test_a_change_keeps_the_uid_and_is_audited_old_to_new(aw: AttendanceWorld) -> None:
    first = aw.mark(MON_1, "Amal", "A")
    assert first.before is None and first.after is not None
    change = aw.mark(MON_1, "Amal", "M", reason="afspraak_instantie")
    assert change.before == first.after
    assert change.after is not None and change.after.uid == first.after.uid
    history = att.mark_history(aw.db, aw.lesson(MON_1), aw.people["Amal"])
    assert [h.action for h in history] == ["attendance.mark", "attendance.change"]
    assert history[1].old["status"] == "A" and history[1].new["status"] == "M"
    assert history[1].new["reason"] == "afspraak_instantie"
    assert history[1].actor == ACTOR.name and history[1].device == ACTOR.device


def test_the_same_mark_again_changes_nothing(aw: AttendanceWorld) -> None:
    first = aw.mark(MON_1, "Amal", "A")
    again = aw.mark(MON_1, "Amal", "a")
    assert again.before == again.after == first.after
    assert len(att.mark_history(aw.db, aw.lesson(MON_1), aw.people["Amal"])) == 1


def test_undo_of_a_first_mark_clears_it_and_keeps_the_history(aw: AttendanceWorld) -> None:
    aw.mark(MON_1, "Amal", "Z")
    undone = att.clear_mark(
        aw.db, lesson_uid=aw.lesson(MON_1), candidate_uid=aw.people["Amal"], actor=ACTOR, now=NOW
    )
    assert undone.before is not None and undone.after is None
    _, rows = att.open_register(aw.db, aw.lesson(MON_1))
    assert all(r.mark is None for r in rows)
    aw.mark(MON_1, "Amal", "A")
    actions = [h.action for h in att.mark_history(aw.db, aw.lesson(MON_1), aw.people["Amal"])]
    assert actions == ["attendance.mark", "attendance.clear", "attendance.mark"]


def test_undo_of_a_change_restores_the_previous_mark(aw: AttendanceWorld) -> None:
    aw.mark(MON_1, "Amal", "L", minutes=5)
    change = aw.mark(MON_1, "Amal", "Z")
    before = change.before
    assert before is not None
    aw.mark(MON_1, "Amal", before.status_code, minutes=before.minutes, reason=before.reason)
    _, rows = att.open_register(aw.db, aw.lesson(MON_1))
    restored = next(r.mark for r in rows if r.name == "Amal Haddad")
    assert restored is not None and (restored.status_code, restored.minutes) == ("L", 5)


@pytest.mark.parametrize(
    ("code", "extra", "message"),
    [
        ("X", {}, "There is no active attendance status with code {code}."),
        ("M", {}, "Choose a reason for status {code}."),
        ("M", {"reason": "vakantie"}, "Unknown reason {reason}; choose one of: {reasons}."),
        ("L", {}, "Status {code} needs the minutes late or left early (1 to {max})."),
        ("L", {"minutes": 0}, "Status {code} needs the minutes late or left early (1 to {max})."),
        ("E", {"minutes": 481}, "Status {code} needs the minutes late or left early (1 to {max})."),
        ("A", {"note": "x" * 201}, "A note can be at most {max} characters."),
    ],
)
def test_invalid_marks_are_refused_with_a_clear_message(
    aw: AttendanceWorld, code: str, extra: dict[str, object], message: str
) -> None:
    with pytest.raises(UserError) as caught:
        aw.mark(MON_1, "Amal", code, **extra)
    assert caught.value.message_id == message
    _, rows = att.open_register(aw.db, aw.lesson(MON_1))
    assert all(r.mark is None for r in rows)


def test_an_inactive_status_cannot_be_used(aw: AttendanceWorld) -> None:
    z = next(s for s in att.list_statuses(aw.db) if s.code == "Z")
    att.save_status(
        aw.db, id=z.id, code="Z", label_nl=z.label_nl, label_en=z.label_en,
        counts_present=False, counts_late=False, excused=False, needs_reason=False,
        needs_minutes=False, teacher_may_use=True, active=False, actor=ACTOR,
    )  # fmt: skip
    assert "Z" not in [s.code for s in att.list_statuses(aw.db)]
    assert "Z" in [s.code for s in att.list_statuses(aw.db, active_only=False)]
    with pytest.raises(UserError, match="no active attendance status"):
        aw.mark(MON_1, "Amal", "Z")


def test_a_cancelled_lesson_takes_no_marks(aw: AttendanceWorld) -> None:
    svc.cancel_lesson(aw.db, aw.lesson(MON_2), reason="docent ziek", actor=ACTOR)
    with pytest.raises(UserError) as caught:
        aw.mark(MON_2, "Amal", "A")
    assert caught.value.message_id == "This lesson was cancelled; it takes no attendance."


def test_only_members_on_the_lesson_date_can_be_marked(aw: AttendanceWorld) -> None:
    svc.end_member(aw.db, aw.group, aw.people["Chaya"], MON_1, ACTOR)
    aw.mark(MON_1, "Chaya", "A")  # still a member on her last day
    with pytest.raises(UserError) as caught:
        aw.mark(MON_2, "Chaya", "A")
    assert caught.value.message_id == "This candidate was not in the group on the lesson date."
    _, rows = att.open_register(aw.db, aw.lesson(MON_2))
    assert [r.name for r in rows] == ["Amal Haddad", "Bilal Nasser"]


def test_someone_marked_but_no_longer_a_member_stays_in_the_register(
    aw: AttendanceWorld,
) -> None:
    aw.mark(MON_2, "Chaya", "A")
    svc.end_member(aw.db, aw.group, aw.people["Chaya"], MON_1, ACTOR)
    _, rows = att.open_register(aw.db, aw.lesson(MON_2))
    chaya = next(r for r in rows if r.name == "Chaya Berhane")
    assert chaya.mark is not None and chaya.mark.status_code == "A"
    aw.mark(MON_2, "Chaya", "Z")  # an existing mark can still be corrected


def test_mark_rest_present_marks_only_the_unmarked(aw: AttendanceWorld) -> None:
    aw.mark(MON_1, "Bilal", "M", reason="ziek")
    changes = att.mark_rest_present(aw.db, lesson_uid=aw.lesson(MON_1), actor=ACTOR, now=NOW)
    assert sorted(c.candidate_uid for c in changes) == sorted(
        [aw.people["Amal"], aw.people["Chaya"]]
    )
    assert all(c.before is None and c.after and c.after.status_code == "A" for c in changes)
    _, rows = att.open_register(aw.db, aw.lesson(MON_1))
    assert {r.name: r.mark.status_code for r in rows if r.mark} == {
        "Amal Haddad": "A", "Bilal Nasser": "M", "Chaya Berhane": "A",
    }  # fmt: skip
    assert att.mark_rest_present(aw.db, lesson_uid=aw.lesson(MON_1), actor=ACTOR, now=NOW) == []
    with pytest.raises(UserError):
        att.mark_rest_present(
            aw.db, lesson_uid=aw.lesson(MON_2), actor=ACTOR, now=NOW, status_code="L"
        )


@pytest.mark.sqlite_only  # the file's write-ahead log after a crash
def test_a_mark_survives_the_app_being_killed(aw: AttendanceWorld) -> None:
    lesson = aw.lesson(MON_1)
    aw.mark(MON_1, "Amal", "L", minutes=15)
    # No close, no checkpoint: a second program opens the file as after a crash.
    other = Database.open(aw.db.path)
    try:
        _, rows = att.open_register(other, lesson)
    finally:
        other.engine.dispose()
    amal = next(r for r in rows if r.name == "Amal Haddad")
    assert amal.mark is not None and (amal.mark.status_code, amal.mark.minutes) == ("L", 15)


def test_status_codes_are_one_key_and_unique(aw: AttendanceWorld) -> None:
    values = dict(
        label_nl="stage", label_en="internship", counts_present=True, counts_late=False,
        excused=False, needs_reason=False, needs_minutes=False, teacher_may_use=True,
        active=True, actor=ACTOR,
    )  # fmt: skip
    for code, message in (
        ("AB", "A status code is exactly one letter or digit."),
        ("-", "A status code is exactly one letter or digit."),
        ("a", "The code {code} is already used by the status {label}."),
    ):
        with pytest.raises(UserError) as caught:
            att.save_status(aw.db, id=None, code=code, **values)  # type: ignore[arg-type]
        assert caught.value.message_id == message
    with pytest.raises(UserError) as caught:
        att.save_status(aw.db, id=None, code="S", **{**values, "label_en": " "})  # type: ignore[arg-type]
    assert caught.value.message_id == "A status needs a Dutch and an English label."
    new_id = att.save_status(aw.db, id=None, code="s", **values)  # type: ignore[arg-type]
    added = att.list_statuses(aw.db)[-1]  # new statuses come last
    assert (added.id, added.code) == (new_id, "S")


def test_unregistered_lessons_lists_lessons_with_unmarked_members(aw: AttendanceWorld) -> None:
    until = date(2026, 9, 14)
    before = att.unregistered_lessons(aw.db, until=until)
    assert [r.lesson_date for r in before] == [MON_1, date(2026, 9, 9), MON_2]
    assert all((r.roster_size, r.marked, r.teacher_name) == (3, 0, "Anna") for r in before)
    att.mark_rest_present(aw.db, lesson_uid=aw.lesson(MON_1), actor=ACTOR, now=NOW)
    aw.mark(MON_2, "Amal", "A")
    after = att.unregistered_lessons(aw.db, until=until, since=MON_1)
    assert [(r.lesson_date, r.marked) for r in after] == [(date(2026, 9, 9), 0), (MON_2, 1)]
    svc.cancel_lesson(aw.db, aw.lesson(date(2026, 9, 9)), reason="studiedag", actor=ACTOR)
    assert [r.lesson_date for r in att.unregistered_lessons(aw.db, until=until)] == [MON_2]
