"""Dialogs that change a candidate: the record form, status, note, PIP, extension, work profile.

A dialog never closes on a mistake: the controller's submit function raises
:class:`Invalid` or :class:`UserError`, the dialog marks the fields and keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from kvds_desktop.domain import labels
from kvds_desktop.i18n import Translator
from kvds_desktop.ui.forms import DateField, FormDialog, choice_box, parse_date

__all__ = ["DateField", "FormDialog", "choice_box", "parse_date"]


def _options(table: dict[str, str]) -> list[tuple[str, str]]:
    return list(table.items())


class CandidateForm(FormDialog):
    """New candidate or edit of the record."""

    def __init__(
        self,
        title: str,
        values: dict[str, Any],
        tr: Translator,
        *,
        locations: Sequence[tuple[int, str]],
        klantmanagers: Sequence[tuple[int, str]],
        municipalities: Sequence[str],
        editing: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, tr, parent)
        self.setObjectName("candidateForm")
        self.editing = editing
        body = QWidget()
        grid = QGridLayout(body)
        person_box, person = QGroupBox(tr._("Person")), QFormLayout()
        route_box, route = QGroupBox(tr._("Integration")), QFormLayout()
        person_box.setLayout(person)
        route_box.setLayout(route)
        grid.addWidget(person_box, 0, 0)
        grid.addWidget(route_box, 0, 1)
        v = values.get
        self.add(person, "voornamen", tr._("First names"), QLineEdit(v("voornamen") or ""))
        self.add(person, "tussenvoegsel", tr._("Infix"), QLineEdit(v("tussenvoegsel") or ""))
        self.add(person, "achternaam", tr._("Surname"), QLineEdit(v("achternaam") or ""))
        self.add(person, "birth_date", tr._("Birth date"), DateField(v("birth_date")))
        self.add(
            person,
            "gender",
            tr._("Gender"),
            choice_box(_options(labels.GENDER), v("gender") or "o", tr),
        )
        self.add(person, "nationality", tr._("Nationality"), QLineEdit(v("nationality") or ""))
        bsn = QLineEdit()
        bsn.setPlaceholderText(tr._("leave empty to keep") if editing else "")
        self.add(person, "bsn", tr._("BSN"), bsn)
        self.add(person, "phone", tr._("Phone"), QLineEdit(v("phone") or ""))
        self.add(person, "email", tr._("E-mail"), QLineEdit(v("email") or ""))
        self.add(person, "address", tr._("Address"), QLineEdit(v("address") or ""))
        self.add(person, "postcode", tr._("Postcode"), QLineEdit(v("postcode") or ""))
        self.add(person, "city", tr._("Town"), QLineEdit(v("city") or ""))
        municipality = QComboBox()
        municipality.setEditable(True)
        municipality.addItems(list(municipalities))
        municipality.setCurrentText(
            v("municipality") or (municipalities[0] if municipalities else "")
        )
        self.add(person, "municipality", tr._("Municipality"), municipality)
        self.add(route, "klantnummer", tr._("Client number"), QLineEdit(v("klantnummer") or ""))
        self.add(
            route,
            "location_id",
            tr._("Location"),
            choice_box(list(locations), v("location_id"), tr, empty=True),
        )
        self.add(
            route,
            "klantmanager_id",
            tr._("Klantmanager"),
            choice_box(list(klantmanagers), v("klantmanager_id"), tr, empty=True),
        )
        self.add(
            route, "law", tr._("Law"), choice_box(_options(labels.LAW), v("law") or "wi2021", tr)
        )
        self.add(
            route,
            "doelgroep",
            tr._("Target group"),
            choice_box(_options(labels.DOELGROEP), v("doelgroep") or "statushouder", tr),
        )
        self.add(
            route,
            "route",
            tr._("Learning route"),
            choice_box(_options(labels.ROUTE), v("route"), tr, empty=True),
        )
        self.add(
            route,
            "target_level",
            tr._("Target level"),
            choice_box(_options(labels.LEVEL), v("target_level"), tr, empty=True),
        )
        self.add(
            route, "registration_date", tr._("Registered on"), DateField(v("registration_date"))
        )
        self.add(
            route,
            "obligation_start",
            tr._("Integration duty since"),
            DateField(v("obligation_start")),
        )
        self.add(route, "lbt_date", tr._("Learnability test (LBT) on"), DateField(v("lbt_date")))
        self.add(route, "lbt_outcome", tr._("LBT outcome"), QLineEdit(v("lbt_outcome") or ""))
        ladder = QSpinBox()
        ladder.setRange(0, 6)
        ladder.setSpecialValueText("—")
        ladder.setValue(v("participatieladder") or 0)
        self.add(route, "participatieladder", tr._("Participation ladder (1-6)"), ladder)
        attention = QPlainTextEdit(v("aandachtspunten") or "")
        attention.setMaximumHeight(80)
        self.add(route, "aandachtspunten", tr._("Points of attention"), attention)
        self.original = dict(values) if editing else {}
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.finish_layout(scroll)
        self.resize(980, 640)

    def changes(self) -> dict[str, Any]:
        """Only the fields that differ from the record (an empty BSN keeps the old one)."""
        values = self.read()
        if not values.get("bsn"):
            values.pop("bsn", None)
        if not self.editing:
            return values
        return {
            k: val
            for k, val in values.items()
            if (self.original.get(k) or None) != (val or None) or k == "bsn"
        }


class StatusDialog(FormDialog):
    """Change the status of a candidacy."""

    def __init__(
        self, tr: Translator, allowed: Sequence[str], today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr._("Change status"), tr, parent)
        form = QFormLayout()
        self.add(
            form,
            "status",
            tr._("New status"),
            choice_box([(s, labels.STATUS[s]) for s in allowed], None, tr),
        )
        self.add(form, "effective", tr._("From"), DateField(today))
        self.add(form, "reason", tr._("Reason"), QLineEdit())
        self.layout_.addLayout(form)
        self.finish_layout()


class NoteDialog(FormDialog):
    """Write a note in the candidate's log."""

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(tr._("New note"), tr, parent)
        form = QFormLayout()
        self.add(form, "text", tr._("Note"), QPlainTextEdit())
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(520, 260)


class PipDialog(FormDialog):
    """Record a PIP version."""

    def __init__(
        self,
        tr: Translator,
        route: str | None,
        level: str | None,
        today: date,
        first: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr._("New PIP version"), tr, parent)
        form = QFormLayout()
        hint = QLabel(
            tr._("The first PIP starts the 3-year term on the next day.")
            if first
            else tr._(
                "A new version keeps the term; a route switch is possible within "
                "18 months of its start."
            )
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        self.add(form, "decision_date", tr._("Date of the decision"), DateField(today))
        self.add(
            form,
            "route",
            tr._("Learning route"),
            choice_box(_options(labels.ROUTE), route or "b1", tr),
        )
        self.add(
            form,
            "target_level",
            tr._("Target level"),
            choice_box(_options(labels.LEVEL), level, tr, empty=True),
        )
        self.add(form, "reason", tr._("Reason for the change"), QLineEdit())
        self.layout_.addLayout(form)
        self.finish_layout()


class ExtendDialog(FormDialog):
    """Extend the integration term."""

    def __init__(self, tr: Translator, today: date, parent: QWidget | None = None) -> None:
        super().__init__(tr._("Extend the term"), tr, parent)
        form = QFormLayout()
        months = QSpinBox()
        months.setRange(1, 36)
        months.setValue(6)
        self.add(form, "months", tr._("Months"), months)
        self.add(form, "decided_on", tr._("Decided on"), DateField(today))
        self.add(form, "reason", tr._("Reason"), QLineEdit())
        self.layout_.addLayout(form)
        self.finish_layout()


class WorkProfileDialog(FormDialog):
    """Availability, mobility and background for matching to work."""

    def __init__(
        self, tr: Translator, values: dict[str, Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(tr._("Work profile"), tr, parent)
        v = values.get
        form = QFormLayout()
        days_row = QHBoxLayout()
        chosen = {d for d in str(v("available_days") or "").split(",") if d}
        self.day_boxes: dict[int, QCheckBox] = {}
        for day, label in labels.WEEKDAYS_SHORT.items():
            box = QCheckBox(tr._(label))
            box.setChecked(str(day) in chosen)
            self.day_boxes[day] = box
            days_row.addWidget(box)
        days = QWidget()
        days.setLayout(days_row)
        form.addRow(tr._("Available on"), days)

        def number(value: Any, top: int = 60) -> QSpinBox:
            spin = QSpinBox()
            spin.setRange(-1, top)
            spin.setSpecialValueText("—")
            spin.setValue(value if isinstance(value, int) else -1)
            return spin

        self.add(form, "hours_per_week", tr._("Hours per week"), number(v("hours_per_week")))
        transport = QComboBox()
        transport.setEditable(True)
        transport.addItems(["", "fiets", "ov", "auto", "lopen", "scooter"])
        transport.setCurrentText(v("transport") or "")
        self.add(form, "transport", tr._("Transport"), transport)
        self.add(
            form,
            "max_travel_minutes",
            tr._("Maximum travel time (minutes)"),
            number(v("max_travel_minutes"), 180),
        )
        licence = QCheckBox()
        licence.setChecked(bool(v("driving_licence")))
        self.add(form, "driving_licence", tr._("Driving licence"), licence)
        self.add(
            form, "education_summary", tr._("Education"), QLineEdit(v("education_summary") or "")
        )
        self.add(
            form,
            "education_country",
            tr._("Country of education"),
            QLineEdit(v("education_country") or ""),
        )
        self.add(
            form, "education_years", tr._("Years of education"), number(v("education_years"), 30)
        )
        self.add(form, "work_history", tr._("Work experience"), QLineEdit(v("work_history") or ""))
        self.add(form, "work_years", tr._("Years of work"), number(v("work_years"), 60))
        self.add(form, "sector_wishes", tr._("Sectors wished"), QLineEdit(v("sector_wishes") or ""))
        self.add(form, "certificates", tr._("Certificates"), QLineEdit(v("certificates") or ""))
        consent = QCheckBox(tr._("The candidate agreed that the profile is shared with employers"))
        consent.setChecked(bool(v("employer_consent")))
        self.add(form, "employer_consent", tr._("Consent"), consent)
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(620, 520)

    def read(self) -> dict[str, Any]:
        """The profile values, with the chosen days as '1,3,5' and '—' as empty."""
        values = super().read()
        values["available_days"] = ",".join(
            str(n) for n, box in self.day_boxes.items() if box.isChecked()
        )
        return values
