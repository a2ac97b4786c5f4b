"""Werk & uitstroom: ranked matches with reasons, the proposal, placements and clashes.

The proposal is accepted or overridden pair by pair (an override needs a reason); a
lesson moved onto a placement's day is reported at once on the Groepen page's change.
"""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from kvds_desktop.services.scheduling import groups
from kvds_desktop.services.scheduling import lessons as lesson_service
from kvds_desktop.services.scheduling.lesson_rows import lessons_between
from kvds_desktop.services.work import placements
from tests.gui.conftest import Harness


def test_a_candidates_matches_each_say_why(pilot: Harness) -> None:
    h = pilot
    h.window.show_page("werk")
    page = h.window.work_page
    assert page.target.count() > 0
    assert page.ranked.rowCount() > 0
    for row in range(page.ranked.rowCount()):
        fits = page.ranked.item(row, 2).text()
        why = page.ranked.item(row, 4).text()
        assert why, "every pair gives its reasons"
        if fits == "no":
            assert any(word in why for word in ("lessons on", "min by", "places", "reading",
                                                "speaking", "writing", "listening", "licence",
                                                "already working", "hours", "not available",
                                                "ended", "certificate", "missing"))  # fmt: skip


def test_the_proposal_is_accepted_or_overridden_with_a_reason(pilot: Harness, qtbot: QtBot) -> None:
    h = pilot
    h.window.show_page("werk")
    page = h.window.work_page
    matching = h.controller.matching
    matching.propose()
    qtbot.waitUntil(lambda: matching.proposing, timeout=60000)
    if not matching.pairs:
        return  # nothing fits in this demo week; the rules tests cover the reasons
    proposed = len(matching.pairs)
    assert all(pair.feasible for pair in matching.pairs)
    page.ranked.selectRow(0)
    h.dialogs.texts.append("")  # an override without a reason is refused
    matching.reject_selected()
    assert h.dialogs.errors and len(matching.pairs) == proposed
    h.dialogs.errors.clear()
    h.dialogs.texts.append("already spoke with the employer: no")
    matching.reject_selected()
    assert h.dialogs.errors == [] and len(matching.pairs) == proposed - 1
    if matching.pairs:
        page.ranked.selectRow(0)
        pair = matching.pairs[int(page.ranked.item(0, 0).data(256))]
        matching.accept_selected()
        assert h.dialogs.errors == []
        db = h.controller.db
        assert db is not None
        mine = placements.list_placements(db, today=h.controller.today(),
                                          candidate_uid=pair.candidate_uid)  # fmt: skip
        assert any(p.stage == "voorgesteld" for p in mine)


def test_moving_a_lesson_onto_a_placement_day_is_reported_at_once(pilot: Harness) -> None:
    h = pilot
    db = h.controller.db
    assert db is not None
    today = h.controller.today()
    running = [p for p in placements.list_placements(db, today=today) if p.days]
    assert running, "the pilot has running placements"
    for placement in running:
        memberships = [
            row for row in lessons_between(db, today, today + timedelta(days=27))
            if not row.cancelled and row.lesson_date.isoweekday() not in placement.days
        ]  # fmt: skip
        for lesson in memberships:
            roster = groups.group_members(db, lesson.group_uid, lesson.lesson_date)
            members = {m.candidate_uid for m in roster}
            if placement.candidate_uid not in members:
                continue
            day = lesson.lesson_date
            while day.isoweekday() not in placement.days:
                day += timedelta(days=1)
            lesson_service.move_lesson(
                db, lesson.uid, new_date=day, start=lesson.start, end=lesson.end,
                room_id=lesson.room_id, actor=h.controller.work.actor,
            )  # fmt: skip
            h.controller.groups.group_uid = lesson.group_uid
            h.controller.groups.timetable_changed(lesson.group_uid)
            _title, text = h.dialogs.infos[-1]
            assert placement.candidate_name in text
            page = h.window.work_page
            names = {page.clashes.item(r, 0).text() for r in range(page.clashes.rowCount())}
            assert placement.candidate_name in names
            return
    raise AssertionError("no lesson could be moved onto a placement day")
