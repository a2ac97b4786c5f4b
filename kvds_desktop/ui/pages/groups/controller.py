"""What the Groepen & rooster page does: groups and their warnings, the week of a group,
teacher or room, weekly slots (with conflicts flagged while editing), single lessons,
members, conflicts and closures. All data comes from the scheduling services."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog

from kvds_desktop.domain import labels
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services import candidates as candidate_service
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.lookups import (
    activity_choices,
    location_choices,
    provider_choices,
    room_choices,
    teacher_choices,
)
from kvds_desktop.services.scheduling import (
    closures,
    groups,
    lessons,
    slot_conflicts,
)
from kvds_desktop.services.scheduling import timetable as slots
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.pages.groups.closures_tab import (
    GENERATE_AHEAD_DAYS,
    ConflictsAndClosures,
    fill_table,
    selected_data,
)
from kvds_desktop.ui.pages.groups.dialogs import (
    DateDialog,
    GroupDialog,
    LessonDialog,
    MemberDialog,
    MoveMemberDialog,
    ReasonDialog,
    SlotDialog,
)
from kvds_desktop.ui.pages.groups.view import GroupsPage
from kvds_desktop.ui.widgets import refill_combo

MODES = ("group", "teacher", "room")


_fill = fill_table
_selected = selected_data


class GroupsController(ConflictsAndClosures):
    """Drives the Groepen & rooster page."""

    def __init__(
        self,
        page: GroupsPage,
        *,
        tr: Translator,
        dialogs: DialogService,
        qsettings: QSettings,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
    ) -> None:
        self.page = page
        self.tr = tr
        self.dialogs = dialogs
        self.qsettings = qsettings
        self.today = today
        self.actor = actor
        self.status = status
        self.db: Database | None = None
        self.monday = self._monday(today())
        self.group_uid: str | None = None
        # Told the group whose lessons changed, so clashing placements can be shown.
        self.timetable_changed: Callable[[str | None], None] = lambda _group: None
        self.week_lessons: list[Any] = []
        p = page
        p.previous_week.clicked.connect(lambda: self.shift_week(-7))
        p.next_week.clicked.connect(lambda: self.shift_week(7))
        p.this_week.clicked.connect(lambda: self.go_to(self.today()))
        for keys, days in (("Alt+Left", -7), ("Alt+Right", 7)):
            QShortcut(QKeySequence(keys), p).activated.connect(lambda d=days: self.shift_week(d))
        p.view_mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        p.view_target.currentIndexChanged.connect(lambda _i: self.show_week())
        p.location.currentIndexChanged.connect(lambda _i: self._fill_groups())
        p.groups.itemSelectionChanged.connect(self._group_chosen)
        p.grid.lesson_activated.connect(lambda _uid: self.edit_slot())
        p.new_group.clicked.connect(lambda: self.edit_group(None))
        p.edit_group.clicked.connect(lambda: self.edit_group(self.group_uid))
        p.groups.itemDoubleClicked.connect(lambda _item: self.edit_group(self.group_uid))
        p.add_slot.clicked.connect(self.add_slot)
        p.edit_slot.clicked.connect(self.edit_slot)
        p.remove_slot.clicked.connect(self.remove_slot)
        p.cancel_lesson.clicked.connect(self.cancel_lesson)
        p.move_lesson.clicked.connect(self.move_lesson)
        p.add_lesson.clicked.connect(self.add_lesson)
        p.add_member.clicked.connect(self.add_member)
        p.move_member.clicked.connect(self.move_member)
        p.end_member.clicked.connect(self.end_member)
        p.tabs.currentChanged.connect(lambda index: self._tab_changed(index))
        p.add_holidays.clicked.connect(self.add_public_holidays)
        p.import_closures.clicked.connect(self.import_closures)
        p.add_closure.clicked.connect(self.add_closure)
        p.remove_closure.clicked.connect(self.remove_closure)
        p.export_calendar.clicked.connect(self.export_calendar)
        self.set_translator(tr)
        state = qsettings.value("groups/splitter")
        if state is not None:
            p.splitter.restoreState(state)

    @staticmethod
    def _monday(day: date) -> date:
        return day - timedelta(days=day.weekday())

    def save_state(self) -> None:
        """Remember the splitter."""
        self.qsettings.setValue("groups/splitter", self.page.splitter.saveState())

    def set_translator(self, tr: Translator) -> None:
        """Switch the page to another language."""
        self.tr = tr
        self.page.retranslate_ui(tr)
        refill_combo(
            self.page.view_mode,
            [("group", tr._("Group")), ("teacher", tr._("Teacher")), ("room", tr._("Room"))],
            self.page.view_mode.currentData(),
        )
        self.reload()

    def set_database(self, db: Database | None) -> None:
        """Show the groups of ``db``."""
        self.db = db
        self.group_uid = None
        self.reload()

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read groups, the week, conflicts and closures again."""
        locations = location_choices(self.db) if self.db is not None else []
        refill_combo(
            self.page.location,
            [(None, self.tr._("All locations"))] + [(name, name) for _id, name in locations],
            self.page.location.currentData(),
        )
        self._fill_groups()
        self._mode_changed()
        self._tab_changed(self.page.tabs.currentIndex())

    def _fill_groups(self) -> None:
        rows = groups.group_rows(self.db, self.today()) if self.db is not None else []
        where = self.page.location.currentData()
        rows = [r for r in rows if where in (None, r.location)]
        self.group_rows = rows
        _fill(
            self.page.groups,
            [
                [
                    r.name,
                    r.location,
                    r.level_band,
                    f"{r.members_now} / {r.capacity}",
                    self._warnings(r),
                ]
                for r in rows
            ],
            [r.uid for r in rows],
        )
        warned = [r for r in rows if r.over_capacity or r.spread_warning]
        self.page.group_warnings.setVisible(bool(warned))
        self.page.group_warnings.setText(
            "\n".join(f"⚠ {r.name}: {self._warnings(r)}" for r in warned)
        )
        if self.group_uid is None and rows:
            self.group_uid = rows[0].uid
        for index, row in enumerate(rows):
            if row.uid == self.group_uid:
                self.page.groups.selectRow(index)

    def _warnings(self, row: Any) -> str:
        found = []
        if row.over_capacity:
            found.append(self.tr._("over capacity"))
        if row.spread_warning:
            worst = max(row.level_spread.items(), key=lambda item: item[1])
            found.append(
                self.tr._("levels spread {steps} steps on {skill}").format(
                    steps=worst[1], skill=self.tr._(labels.label(labels.SKILL, worst[0]))
                )
            )
        return "; ".join(found)

    def current_group(self) -> tuple[str, str] | None:
        """(uid, name) of the group chosen in the list, if any."""
        for row in getattr(self, "group_rows", []):
            if row.uid == self.group_uid:
                return str(row.uid), str(row.name)
        return None

    def _group_chosen(self) -> None:
        uid = _selected(self.page.groups)
        if uid and uid != self.group_uid:
            self.group_uid = uid
            if self.page.view_mode.currentData() == "group":
                self.show_week()
            self._fill_members()

    def _mode_changed(self) -> None:
        mode = self.page.view_mode.currentData()
        items: list[tuple[Any, str]] = []
        if self.db is not None and mode == "teacher":
            items = list(teacher_choices(self.db))
        elif self.db is not None and mode == "room":
            items = list(room_choices(self.db))
        self.page.view_target.setVisible(mode != "group")
        refill_combo(self.page.view_target, items, self.page.view_target.currentData())
        self.show_week()
        self._fill_members()

    def edit_group(self, uid: str | None) -> None:
        """Create a group (``uid`` None) or change the chosen one."""
        db = self.db
        if db is None:
            return
        row = next((r for r in self.group_rows if r.uid == uid), None) if uid else None
        values: dict[str, Any] = (
            dataclasses.asdict(row) if row is not None else {"start": self.today(), "capacity": 16}
        )
        if row is not None:
            values["end"] = row.end
        title = self.tr._("Edit the group") if row else self.tr._("New group")
        dialog = GroupDialog(
            self.tr, title, values, locations=location_choices(db), providers=provider_choices(db)
        )
        created: list[str] = []

        def submit(v: dict[str, Any]) -> None:
            created.append(
                groups.save_group(
                    db,
                    uid=uid,
                    name=v["name"],
                    location_id=v["location_id"],
                    level_band=v["level_band"],
                    route=v["route"] or "",
                    capacity=v["capacity"],
                    start=v["start"] or self.today(),
                    end=v["end"],
                    provider_id=v["provider_id"],
                    actor=self.actor,
                )
            )

        self._run(dialog, submit, self.tr._("The group was saved."))
        if created:
            self.group_uid = created[0]
            self.reload()

    # -- the week --------------------------------------------------------------------------
    def shift_week(self, days: int) -> None:
        """Show the week before or after."""
        self.go_to(self.monday + timedelta(days=days))

    def go_to(self, day: date) -> None:
        """Show the week of ``day``."""
        self.monday = self._monday(day)
        self.show_week()
        self._fill_members()

    def show_week(self) -> None:
        """Draw the week of the chosen group, teacher or room."""
        tr, monday = self.tr, self.monday
        friday = monday + timedelta(days=4)
        self.page.week_label.setText(
            tr._("week {number}, {start} to {end}").format(
                number=monday.isocalendar().week,
                start=tr.date(monday, "d MMM"),
                end=tr.date(friday, "d MMM yyyy"),
            )
        )
        found: list[Any] = []
        closed: dict[date, str] = {}
        if self.db is not None:
            mode = self.page.view_mode.currentData()
            target = self.page.view_target.currentData()
            if mode == "group" and self.group_uid:
                found = lessons.lessons_between(self.db, monday, friday, group_uid=self.group_uid)
            elif mode == "teacher" and target is not None:
                found = lessons.lessons_between(self.db, monday, friday, teacher_id=target)
            elif mode == "room" and target is not None:
                found = lessons.lessons_between(self.db, monday, friday, room_id=target)
            for closure in closures.list_closures(self.db, monday, friday):
                day = max(closure.date_from, monday)
                while day <= min(closure.date_to, friday):
                    closed[day] = closure.name
                    day += timedelta(days=1)
        self.week_lessons = found
        self.page.grid.show_week(monday, found, closed, self._block_text, tr)

    def _block_text(self, lesson: Any) -> str:
        name = lesson.activity_name_en if self.tr.language == "en" else lesson.activity_name_nl
        place = self.tr._("online") if lesson.online else (lesson.room_name or "")
        mode = self.page.view_mode.currentData()
        who = lesson.group_name if mode != "group" else (lesson.teacher_name or "")
        times = f"{lesson.start:%H:%M}–{lesson.end:%H:%M}"
        return "\n".join(part for part in (f"{name} {times}", who, place) if part)

    def _lesson(self) -> Any | None:
        uid = self.page.grid.current_lesson()
        lesson = next((item for item in self.week_lessons if item.uid == uid), None)
        if lesson is None:
            self.dialogs.info(self.tr._("Lessons"), self.tr._("Choose a lesson in the week first."))
        return lesson

    # -- slots -----------------------------------------------------------------------------
    def _slot_values(self, slot_uid: str | None) -> dict[str, Any]:
        if slot_uid is None or self.db is None:
            return {"valid_from": self.today(), "weekday": 1}
        for slot in slots.list_slots(self.db, group_uid=self.group_uid):
            if slot.uid == slot_uid:
                return dataclasses.asdict(slot)
        return {"valid_from": self.today()}

    def _preview(self, uid: str | None) -> Callable[[dict[str, Any]], list[str]]:
        def check(values: dict[str, Any]) -> list[str]:
            if self.db is None or not values.get("start") or not values.get("end"):
                return []
            found = slot_conflicts.slot_conflicts_preview(
                self.db,
                uid=uid,
                group_uid=self.group_uid,
                today=self.today(),
                **self._slot_args(values),
            )
            return [self.tr._(c.message_id).format(**c.params) for c in found]

        return check

    @staticmethod
    def _slot_args(values: dict[str, Any]) -> dict[str, Any]:
        keys = (
            "weekday",
            "start",
            "end",
            "activity_kind_id",
            "teacher_id",
            "room_id",
            "online",
            "valid_from",
            "valid_to",
        )
        return {key: values.get(key) for key in keys}

    def _edit_slot(self, slot_uid: str | None) -> None:
        if self.db is None or not self.group_uid:
            return
        db, group_uid = self.db, self.group_uid
        row = next((r for r in self.group_rows if r.uid == group_uid), None)
        location_id = row.location_id if row is not None and row.location_id else None
        dialog = SlotDialog(
            self.tr,
            self._slot_values(slot_uid),
            activities=activity_choices(db, self.tr.language),
            teachers=teacher_choices(db),
            rooms=room_choices(db, location_id),
            preview=self._preview(slot_uid),
            title=self.tr._("Weekly slot of {group}").format(group=row.name if row else ""),
        )

        def submit(values: dict[str, Any]) -> None:
            slots.save_slot(
                db, uid=slot_uid, group_uid=group_uid, actor=self.actor, **self._slot_args(values)
            )
            self._regenerate([group_uid])

        dialog.submit = submit
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.status(self.tr._("The timetable was saved; future lessons follow it."))
            self.reload()
            self.timetable_changed(group_uid)

    def _regenerate(self, group_uids: list[str]) -> None:
        assert self.db is not None
        today = self.today()
        lessons.generate_lessons(
            self.db,
            start=today,
            end=today + timedelta(days=GENERATE_AHEAD_DAYS),
            group_uids=group_uids,
            actor=self.actor,
            today=today,
        )

    def add_slot(self) -> None:
        """Add a weekly slot to the chosen group."""
        self._edit_slot(None)

    def edit_slot(self) -> None:
        """Change the weekly slot of the chosen lesson."""
        lesson = self._lesson()
        if lesson is not None and lesson.slot_uid:
            self._edit_slot(lesson.slot_uid)
        elif lesson is not None:
            self.move_lesson()

    def remove_slot(self) -> None:
        """End the weekly slot of the chosen lesson (past lessons stay)."""
        lesson = self._lesson()
        if lesson is None or not lesson.slot_uid or self.db is None or not self.group_uid:
            return
        if not self.dialogs.confirm(
            self.tr._("Remove the slot"),
            self.tr._(
                "Remove this weekly slot? Future lessons of it are removed; lessons with "
                "attendance stay."
            ),
        ):
            return
        try:
            slots.delete_slot(self.db, lesson.slot_uid, self.actor, today=self.today())
            self._regenerate([self.group_uid])
        except UserError as exc:
            self.dialogs.error(self.tr._("The slot could not be removed"), exc.render(self.tr._))
        self.reload()

    # -- single lessons --------------------------------------------------------------------
    def _run(self, dialog: Any, action: Callable[[dict[str, Any]], Any], done: str) -> None:
        dialog.submit = action
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.status(done)
            self.reload()
            self.timetable_changed(self.group_uid)

    def cancel_lesson(self) -> None:
        """Cancel the chosen lesson, with a reason."""
        lesson, db = self._lesson(), self.db
        if lesson is None or db is None:
            return
        self._run(
            ReasonDialog(self.tr, self.tr._("Cancel this lesson")),
            lambda v: lessons.cancel_lesson(db, lesson.uid, v["reason"], self.actor),
            self.tr._("The lesson was cancelled."),
        )

    def move_lesson(self) -> None:
        """Move the chosen lesson to another day, time or room."""
        lesson, db = self._lesson(), self.db
        if lesson is None or db is None:
            return
        values = {
            "lesson_date": lesson.lesson_date,
            "start": lesson.start,
            "end": lesson.end,
            "room_id": lesson.room_id,
        }
        dialog = LessonDialog(
            self.tr, self.tr._("Move this lesson"), values, rooms=room_choices(db)
        )
        self._run(
            dialog,
            lambda v: lessons.move_lesson(
                db,
                lesson.uid,
                new_date=v["lesson_date"],
                start=v["start"],
                end=v["end"],
                room_id=v["room_id"],
                actor=self.actor,
            ),
            self.tr._("The lesson was moved."),
        )

    def add_lesson(self) -> None:
        """Add a single lesson to the chosen group."""
        db, group_uid = self.db, self.group_uid
        if db is None or not group_uid:
            return
        dialog = LessonDialog(
            self.tr,
            self.tr._("Add a single lesson"),
            {"lesson_date": self.monday},
            rooms=room_choices(db),
            activities=activity_choices(db, self.tr.language),
            teachers=teacher_choices(db),
        )
        self._run(
            dialog,
            lambda v: lessons.add_lesson(
                db,
                group_uid=group_uid,
                lesson_date=v["lesson_date"],
                start=v["start"],
                end=v["end"],
                activity_kind_id=v["activity_kind_id"],
                teacher_id=v["teacher_id"],
                room_id=v["room_id"],
                online=bool(v["online"]),
                actor=self.actor,
            ),
            self.tr._("The lesson was added."),
        )

    # -- members ---------------------------------------------------------------------------
    def _fill_members(self) -> None:
        rows = []
        if self.db is not None and self.group_uid:
            rows = groups.group_members(self.db, self.group_uid, self.monday)
        _fill(
            self.page.members,
            [
                [
                    m.name,
                    self.tr.date(m.since, "short"),
                    self.tr.date(m.until, "short") if m.until else "",
                ]
                for m in rows
            ],
            [m.candidate_uid for m in rows],
        )

    def add_member(self) -> None:
        """Add a candidate to the chosen group."""
        db, group_uid = self.db, self.group_uid
        if db is None or not group_uid:
            return
        people = [
            (r.uid, f"{r.name} ({r.klantnummer})" if r.klantnummer else r.name)
            for r in candidate_service.candidate_rows(db, self.today())
        ]
        dialog = MemberDialog(self.tr, people, self.today())

        def submit(values: dict[str, Any]) -> None:
            if not values.get("candidate_uid"):
                raise UserError(self.tr._("Choose a candidate from the list."))
            groups.add_member(
                db, group_uid, values["candidate_uid"], values["start"] or self.today(), self.actor
            )

        self._run(dialog, submit, self.tr._("The member was added."))

    def move_member(self) -> None:
        """Move the chosen member to another group from a date."""
        db, group_uid = self.db, self.group_uid
        candidate_uid = _selected(self.page.members)
        if db is None or not group_uid or not candidate_uid:
            return
        others = [(r.uid, r.name) for r in self.group_rows if r.uid != group_uid]
        self._run(
            MoveMemberDialog(self.tr, others, self.today()),
            lambda v: groups.move_member(
                db, candidate_uid, group_uid, v["group_uid"], v["on"] or self.today(), self.actor
            ),
            self.tr._("The member was moved; the history is kept."),
        )

    def end_member(self) -> None:
        """End the chosen membership on a date."""
        db, group_uid = self.db, self.group_uid
        candidate_uid = _selected(self.page.members)
        if db is None or not group_uid or not candidate_uid:
            return
        self._run(
            DateDialog(
                self.tr, self.tr._("End the membership"), self.tr._("Last day"), self.today()
            ),
            lambda v: groups.end_member(
                db, group_uid, candidate_uid, v["on"] or self.today(), self.actor
            ),
            self.tr._("The membership was ended."),
        )
