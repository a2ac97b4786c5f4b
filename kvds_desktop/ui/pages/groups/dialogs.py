"""Dialogs of the Groepen & rooster page: weekly slots, single lessons, members, closures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
)

from kvds_desktop.domain import labels
from kvds_desktop.i18n import Translator
from kvds_desktop.ui.forms import DateField, FormDialog, TimeField, choice_box

Choices = Sequence[tuple[Any, str]]
WEEKDAYS: tuple[tuple[int, str], ...] = tuple(labels.WEEKDAYS_LONG.items())


class SlotDialog(FormDialog):
    """A weekly slot of a group; conflicts it would cause are shown while typing."""

    def __init__(
        self,
        tr: Translator,
        values: dict[str, Any],
        *,
        activities: Choices,
        teachers: Choices,
        rooms: Choices,
        preview: Callable[[dict[str, Any]], list[str]] | None = None,
        title: str = "",
    ) -> None:
        super().__init__(title or tr._("Weekly slot"), tr)
        self.setObjectName("slotDialog")
        v = values.get
        form = QFormLayout()
        self.add(form, "weekday", tr._("Day"), choice_box(WEEKDAYS, v("weekday") or 1, tr))
        self.add(form, "start", tr._("From"), TimeField(v("start")))
        self.add(form, "end", tr._("Until"), TimeField(v("end")))
        self.add(
            form,
            "activity_kind_id",
            tr._("Activity"),
            choice_box(activities, v("activity_kind_id"), tr),
        )
        self.add(
            form,
            "teacher_id",
            tr._("Teacher"),
            choice_box(teachers, v("teacher_id"), tr, empty=True),
        )
        self.add(form, "room_id", tr._("Room"), choice_box(rooms, v("room_id"), tr, empty=True))
        online = QCheckBox(tr._("Online"))
        online.setChecked(bool(v("online")))
        self.add(form, "online", "", online)
        self.add(form, "valid_from", tr._("Valid from"), DateField(v("valid_from")))
        self.add(form, "valid_to", tr._("Valid until"), DateField(v("valid_to")))
        self.layout_.addLayout(form)
        self.conflicts = QLabel()
        self.conflicts.setObjectName("banner")
        self.conflicts.setWordWrap(True)
        self.conflicts.setVisible(False)
        self.layout_.addWidget(self.conflicts)
        self.finish_layout()
        self._preview = preview
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.update_conflicts)
        for widget in self.fields.values():
            signal = (
                getattr(widget, "textChanged", None)
                or getattr(widget, "currentIndexChanged", None)
                or getattr(widget, "toggled", None)
            )
            if signal is not None:
                signal.connect(lambda *_args: self._timer.start())
        self.resize(460, 420)

    def update_conflicts(self) -> None:
        """Ask the controller which conflicts the slot as typed would cause."""
        if self._preview is None:
            return
        try:
            values = self.read()
        except Exception:  # half-typed times and dates: nothing to check yet
            return
        found = self._preview(values)
        self.conflicts.setVisible(bool(found))
        self.conflicts.setText("\n".join("⚠ " + line for line in found))


class ReasonDialog(FormDialog):
    """Ask for the reason a lesson is cancelled."""

    def __init__(self, tr: Translator, title: str) -> None:
        super().__init__(title, tr)
        form = QFormLayout()
        self.add(form, "reason", tr._("Reason"), QLineEdit())
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(420, 140)


class LessonDialog(FormDialog):
    """Move a lesson, or add a single lesson to a group."""

    def __init__(
        self,
        tr: Translator,
        title: str,
        values: dict[str, Any],
        *,
        rooms: Choices,
        activities: Choices | None = None,
        teachers: Choices | None = None,
    ) -> None:
        super().__init__(title, tr)
        v = values.get
        form = QFormLayout()
        self.add(form, "lesson_date", tr._("Date"), DateField(v("lesson_date")))
        self.add(form, "start", tr._("From"), TimeField(v("start")))
        self.add(form, "end", tr._("Until"), TimeField(v("end")))
        if activities is not None:
            self.add(
                form,
                "activity_kind_id",
                tr._("Activity"),
                choice_box(activities, v("activity_kind_id"), tr),
            )
        if teachers is not None:
            self.add(
                form,
                "teacher_id",
                tr._("Teacher"),
                choice_box(teachers, v("teacher_id"), tr, empty=True),
            )
        self.add(form, "room_id", tr._("Room"), choice_box(rooms, v("room_id"), tr, empty=True))
        if activities is not None:
            online = QCheckBox(tr._("Online"))
            self.add(form, "online", "", online)
        self.layout_.addLayout(form)
        self.finish_layout()


class MemberDialog(FormDialog):
    """Add a candidate to a group (type to find the candidate)."""

    def __init__(self, tr: Translator, candidates: Choices, since: date) -> None:
        super().__init__(tr._("Add a member"), tr)
        form = QFormLayout()
        box = choice_box(candidates, None, tr)
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = box.completer()
        if completer is not None:
            completer.setFilterMode(completer.filterMode().MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.candidate_box = box
        form.addRow(tr._("Candidate"), box)
        self.add(form, "start", tr._("Member from"), DateField(since))
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(480, 160)

    def read(self) -> dict[str, Any]:
        """The chosen candidate's uid and the start date."""
        values = super().read()
        index = self.candidate_box.findText(self.candidate_box.currentText())
        values["candidate_uid"] = self.candidate_box.itemData(index) if index >= 0 else None
        return values


class MoveMemberDialog(FormDialog):
    """Move a member to another group from a date; the history is kept."""

    def __init__(self, tr: Translator, groups: Choices, on: date) -> None:
        super().__init__(tr._("Move to another group"), tr)
        form = QFormLayout()
        self.add(form, "group_uid", tr._("New group"), choice_box(groups, None, tr))
        self.add(form, "on", tr._("From"), DateField(on))
        self.layout_.addLayout(form)
        self.finish_layout()


class DateDialog(FormDialog):
    """Ask for one date (the end of a membership)."""

    def __init__(self, tr: Translator, title: str, label: str, value: date) -> None:
        super().__init__(title, tr)
        form = QFormLayout()
        self.add(form, "on", label, DateField(value))
        self.layout_.addLayout(form)
        self.finish_layout()


class ClosureDialog(FormDialog):
    """A closure: school holiday or own closure day, for one location or all."""

    def __init__(self, tr: Translator, locations: Choices, today: date) -> None:
        super().__init__(tr._("Add a closure"), tr)
        form = QFormLayout()
        self.add(form, "date_from", tr._("From"), DateField(today))
        self.add(form, "date_to", tr._("Until (inclusive)"), DateField(today))
        self.add(form, "name", tr._("Name"), QLineEdit())
        self.add(form, "location_id", tr._("Location"), choice_box(locations, None, tr, empty=True))
        self.add(
            form,
            "kind",
            tr._("Kind"),
            choice_box(
                (("schoolvakantie", tr._("school holiday")), ("eigen", tr._("own closure day"))),
                "eigen",
                tr,
            ),
        )
        self.layout_.addLayout(form)
        self.finish_layout()


class GroupDialog(FormDialog):
    """A group: name, location, level band, route, capacity, period, provider."""

    def __init__(
        self,
        tr: Translator,
        title: str,
        values: dict[str, Any],
        *,
        locations: Choices,
        providers: Choices,
    ) -> None:
        super().__init__(title, tr)
        v = values.get
        form = QFormLayout()
        self.add(form, "name", tr._("Name"), QLineEdit(v("name") or ""))
        self.add(form, "location_id", tr._("Location"), choice_box(locations, v("location_id"), tr))
        self.add(form, "level_band", tr._("Level band"), QLineEdit(v("level_band") or ""))
        self.add(
            form,
            "route",
            tr._("Learning route"),
            choice_box(tuple(labels.ROUTE.items()), v("route") or None, tr, empty=True),
        )
        capacity = QSpinBox()
        capacity.setRange(1, 100)
        capacity.setValue(int(v("capacity") or 16))
        self.add(form, "capacity", tr._("Capacity"), capacity)
        self.add(form, "start", tr._("From"), DateField(v("start")))
        self.add(form, "end", tr._("Until (inclusive)"), DateField(v("end")))
        self.add(
            form,
            "provider_id",
            tr._("Provider"),
            choice_box(providers, v("provider_id"), tr, empty=True),
        )
        self.layout_.addLayout(form)
        self.finish_layout()
