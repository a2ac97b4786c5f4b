"""The Groepen & rooster page on the pilot data: weeks, slots with conflicts, lessons, members."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QShortcut

from kvds_desktop.services.scheduling import lessons_between
from kvds_desktop.ui.pages.groups.dialogs import GroupDialog, ReasonDialog, SlotDialog
from kvds_desktop.ui.pages.groups.week_grid import UID_ROLE
from tests.gui.conftest import Harness

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _on_the_page(pilot: Harness) -> None:
    pilot.window.show_page("groepen")


def grid_lessons(h: Harness) -> list[str]:
    grid = h.window.groups_page.grid
    found = []
    for row in range(grid.rowCount()):
        for column in range(grid.columnCount()):
            item = grid.item(row, column)
            if item is not None and item.data(UID_ROLE):
                found.append(str(item.data(UID_ROLE)))
    return found


def test_the_first_group_shows_its_week(pilot: Harness) -> None:
    page = pilot.window.groups_page
    assert page.groups.rowCount() >= 8
    assert "week 48" in page.week_label.text()
    assert len(grid_lessons(pilot)) >= 3
    page.next_week.click()
    assert "week 49" in page.week_label.text()


def test_christmas_is_closed(pilot: Harness) -> None:
    controller = pilot.controller.groups
    controller.go_to(date(2026, 12, 21))
    grid = pilot.window.groups_page.grid
    texts = [grid.item(0, c).text() for c in range(5) if grid.item(0, c) is not None]
    assert any(text.startswith("Closed") for text in texts)
    db = pilot.controller.db
    assert db is not None
    assert not lessons_between(db, date(2026, 12, 25), date(2026, 12, 25))


def test_a_slot_that_double_books_a_teacher_is_flagged_at_once(
    pilot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller = pilot.controller.groups
    db = pilot.controller.db
    assert db is not None
    week = lessons_between(db, date(2026, 11, 30), date(2026, 12, 4))
    busy = next(lesson for lesson in week if lesson.teacher_id and not lesson.cancelled)
    other_group = next(r.uid for r in controller.group_rows if r.uid != busy.group_uid)
    controller.group_uid = other_group
    seen: dict[str, str] = {}

    def fill(dialog: SlotDialog) -> int:
        fields = dialog.fields
        fields["weekday"].setCurrentIndex(  # type: ignore[attr-defined]
            fields["weekday"].findData(busy.lesson_date.isoweekday())
        )  # type: ignore[attr-defined]
        fields["start"].setText(busy.start.strftime("%H:%M"))  # type: ignore[attr-defined]
        fields["end"].setText(busy.end.strftime("%H:%M"))  # type: ignore[attr-defined]
        teacher = fields["teacher_id"]
        teacher.setCurrentIndex(teacher.findData(busy.teacher_id))  # type: ignore[attr-defined]
        fields["valid_from"].setText("30-11-2026")  # type: ignore[attr-defined]
        dialog.update_conflicts()
        seen["conflicts"] = dialog.conflicts.text()
        return 0

    monkeypatch.setattr(SlotDialog, "exec", fill)
    pilot.window.groups_page.add_slot.click()
    assert busy.teacher_name in seen["conflicts"] or "teacher" in seen["conflicts"].lower()


def test_cancel_a_lesson_strikes_it_through(
    pilot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller = pilot.controller.groups
    controller.go_to(date(2026, 12, 1))
    grid = pilot.window.groups_page.grid
    target = None
    for row in range(grid.rowCount()):
        for column in range(grid.columnCount()):
            item = grid.item(row, column)
            if item is not None and item.data(UID_ROLE):
                target = item
                break
        if target is not None:
            break
    assert target is not None
    grid.setCurrentItem(target)

    def give_reason(dialog: ReasonDialog) -> int:
        dialog.fields["reason"].setText("docent ziek")  # type: ignore[attr-defined]
        dialog._try_accept()
        return dialog.result()

    monkeypatch.setattr(ReasonDialog, "exec", give_reason)
    uid = str(target.data(UID_ROLE))
    pilot.window.groups_page.cancel_lesson.click()
    for row in range(grid.rowCount()):
        for column in range(grid.columnCount()):
            item = grid.item(row, column)
            if item is not None and item.data(UID_ROLE) == uid:
                assert item.font().strikeOut()
                assert "docent ziek" in item.toolTip()
                return
    pytest.fail("the cancelled lesson is no longer shown")


def test_members_and_conflicts_tabs(pilot: Harness) -> None:
    page = pilot.window.groups_page
    page.right_tabs.setCurrentIndex(1)
    assert page.members.rowCount() > 0
    page.tabs.setCurrentIndex(1)
    assert page.tabs.tabText(1).startswith("Conflicts (")
    page.tabs.setCurrentIndex(2)
    assert page.closures.rowCount() > 0
    names = [page.closures.item(r, 2).text() for r in range(page.closures.rowCount())]
    assert any("Kerst" in name for name in names)


def test_week_navigation_by_keyboard(pilot: Harness) -> None:
    page = pilot.window.groups_page
    shortcuts = {s.key().toString(): s for s in page.findChildren(QShortcut)}
    assert {"Alt+Left", "Alt+Right"} <= set(shortcuts)
    shortcuts["Alt+Right"].activated.emit()
    assert "week 49" in page.week_label.text()
    shortcuts["Alt+Left"].activated.emit()
    shortcuts["Alt+Left"].activated.emit()
    assert "week 47" in page.week_label.text()


def test_a_new_group_is_created_from_the_page(
    pilot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: GroupDialog) -> int:
        dialog.fields["name"].setText("WIJ-B1-2")  # type: ignore[attr-defined]
        dialog.fields["level_band"].setText("A2-B1")  # type: ignore[attr-defined]
        dialog._try_accept()
        return dialog.result()

    monkeypatch.setattr(GroupDialog, "exec", fill)
    pilot.window.groups_page.new_group.click()
    names = [r.name for r in pilot.controller.groups.group_rows]
    assert "WIJ-B1-2" in names
    assert pilot.controller.groups.group_uid == next(
        r.uid for r in pilot.controller.groups.group_rows if r.name == "WIJ-B1-2"
    )


def test_a_duplicate_group_name_keeps_the_dialog_open(
    pilot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, str] = {}

    def fill(dialog: GroupDialog) -> int:
        dialog.fields["name"].setText("DRU-A1")  # type: ignore[attr-defined]
        dialog._try_accept()
        seen["error"] = dialog.errors.text()
        return dialog.result()

    monkeypatch.setattr(GroupDialog, "exec", fill)
    pilot.window.groups_page.new_group.click()
    assert "already a group called DRU-A1" in seen["error"]
