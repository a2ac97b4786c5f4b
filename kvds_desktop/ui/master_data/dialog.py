"""The Master data dialog's layout and its forms (see controller.py for what they do)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.domain import labels
from kvds_desktop.domain.enums import ActivityCategory, ProviderKind
from kvds_desktop.errors import N_
from kvds_desktop.i18n import Translator
from kvds_desktop.ui.forms import FormDialog, TimeField, choice_box
from kvds_desktop.ui.widgets import table

Choices = Sequence[tuple[Any, str]]

PROVIDER_KINDS: tuple[tuple[str, str], ...] = (
    (ProviderKind.LANGUAGE.value, N_("language school")),
    (ProviderKind.TRAINING.value, N_("training provider")),
    (ProviderKind.EMPLOYER_SERVICES.value, N_("employer services")),
)
CATEGORIES: tuple[tuple[str, str], ...] = (
    (ActivityCategory.LANGUAGE.value, N_("language")),
    (ActivityCategory.KNM.value, N_("KNM")),
    (ActivityCategory.ONA_MAP.value, N_("ONA / MAP")),
    (ActivityCategory.PVT.value, N_("PVT")),
    (ActivityCategory.ALFA.value, N_("literacy")),
    (ActivityCategory.TRAINING.value, N_("training")),
    (ActivityCategory.PARTICIPATION.value, N_("participation")),
)
TAB_NAMES = ("locations", "rooms", "providers", "teachers", "activities")


def data_box(options: Choices, current: Any) -> QComboBox:
    """A combo box of (value, name) options whose names are data, shown as they are."""
    box = QComboBox()
    for value, name in options:
        box.addItem(name, value)
    box.setCurrentIndex(max(box.findData(current), 0))
    return box


class MasterTab(QWidget):
    """One kind of master data: a read-only table and the buttons that change it."""

    def __init__(self, columns: int, name: str, removable: bool = False) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.table: QTableWidget = table(columns, name)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add = QPushButton()
        self.add.setObjectName(f"{name}Add")
        self.edit = QPushButton()
        self.edit.setObjectName(f"{name}Edit")
        row.addWidget(self.add)
        row.addWidget(self.edit)
        self.remove: QPushButton | None = None
        if removable:
            self.remove = QPushButton()
            self.remove.setObjectName(f"{name}Remove")
            row.addWidget(self.remove)
        row.addStretch(1)
        layout.addLayout(row)


class MasterDataDialog(QDialog):
    """Tabs for locations, rooms, providers, teachers and activity kinds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("masterDataDialog")
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.locations = MasterTab(6, "locationTable")
        self.rooms = MasterTab(3, "roomTable", removable=True)
        self.providers = MasterTab(5, "providerTable")
        self.teachers = MasterTab(7, "teacherTable")
        self.activities = MasterTab(4, "activityTable")
        for tab in self.all_tabs():
            self.tabs.addTab(tab, "")
        outer.addWidget(self.tabs, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.resize(900, 520)

    def all_tabs(self) -> tuple[MasterTab, ...]:
        """The tabs in the order they are shown."""
        return (self.locations, self.rooms, self.providers, self.teachers, self.activities)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.setWindowTitle(tr._("Master data"))
        titles = (
            tr._("Locations"),
            tr._("Rooms"),
            tr._("Providers"),
            tr._("Teachers"),
            tr._("Activities"),
        )
        for index, text in enumerate(titles):
            self.tabs.setTabText(index, text)
        for tab in self.all_tabs():
            tab.add.setText(tr._("Add…"))
            tab.edit.setText(tr._("Edit…"))
        if self.rooms.remove is not None:
            self.rooms.remove.setText(tr._("Remove the room…"))
        self.locations.table.setHorizontalHeaderLabels(
            [
                tr._("Name"),
                tr._("Municipality"),
                tr._("Address"),
                tr._("Postcode"),
                tr._("City"),
                tr._("Rooms"),
            ]
        )
        self.rooms.table.setHorizontalHeaderLabels(
            [tr._("Location"), tr._("Room"), tr._("Capacity")]
        )
        self.providers.table.setHorizontalHeaderLabels(
            [tr._("Name"), tr._("Kind"), tr._("Contact person"), tr._("E-mail"), tr._("Teachers")]
        )
        self.teachers.table.setHorizontalHeaderLabels(
            [
                tr._("Name"),
                tr._("Provider"),
                tr._("E-mail"),
                tr._("Phone"),
                tr._("Available on"),
                tr._("Hours"),
                tr._("Active"),
            ]
        )
        self.activities.table.setHorizontalHeaderLabels(
            [tr._("Code"), tr._("Dutch name"), tr._("English name"), tr._("Category")]
        )


def _line(text: str | None) -> QLineEdit:
    return QLineEdit(text or "")


class LocationForm(FormDialog):
    """A location: name, municipality and address."""

    def __init__(self, tr: Translator, values: dict[str, Any], parent: QWidget | None) -> None:
        super().__init__(tr._("Location"), tr, parent)
        self.setObjectName("locationForm")
        v = values.get
        form = QFormLayout()
        self.add(form, "name", tr._("Name"), _line(v("name")))
        self.add(form, "municipality", tr._("Municipality"), _line(v("municipality")))
        self.add(form, "address", tr._("Address"), _line(v("address")))
        self.add(form, "postcode", tr._("Postcode"), _line(v("postcode")))
        self.add(form, "city", tr._("City"), _line(v("city")))
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(440, 240)


class RoomForm(FormDialog):
    """A room: its location, name and capacity."""

    def __init__(
        self, tr: Translator, values: dict[str, Any], locations: Choices, parent: QWidget | None
    ) -> None:
        super().__init__(tr._("Room"), tr, parent)
        self.setObjectName("roomForm")
        v = values.get
        form = QFormLayout()
        self.add(form, "location_id", tr._("Location"), data_box(locations, v("location_id")))
        self.add(form, "name", tr._("Name"), _line(v("name")))
        capacity = QSpinBox()
        capacity.setRange(1, 100)
        capacity.setValue(int(v("capacity") or 16))
        self.add(form, "capacity", tr._("Capacity"), capacity)
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(400, 180)


class ProviderForm(FormDialog):
    """A provider: name, kind and contact."""

    def __init__(self, tr: Translator, values: dict[str, Any], parent: QWidget | None) -> None:
        super().__init__(tr._("Provider"), tr, parent)
        self.setObjectName("providerForm")
        v = values.get
        form = QFormLayout()
        self.add(form, "name", tr._("Name"), _line(v("name")))
        self.add(form, "kind", tr._("Kind"), choice_box(PROVIDER_KINDS, v("kind"), tr))
        self.add(form, "contact_name", tr._("Contact person"), _line(v("contact_name")))
        self.add(form, "contact_email", tr._("E-mail"), _line(v("contact_email")))
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(440, 200)


class TeacherForm(FormDialog):
    """A teacher: provider, contact, the weekdays and hours available, and active or not."""

    def __init__(
        self, tr: Translator, values: dict[str, Any], providers: Choices, parent: QWidget | None
    ) -> None:
        super().__init__(tr._("Teacher"), tr, parent)
        self.setObjectName("teacherForm")
        v = values.get
        form = QFormLayout()
        self.add(form, "provider_id", tr._("Provider"), data_box(providers, v("provider_id")))
        self.add(form, "name", tr._("Name"), _line(v("name")))
        self.add(form, "email", tr._("E-mail"), _line(v("email")))
        self.add(form, "phone", tr._("Phone"), _line(v("phone")))
        chosen = {part.strip() for part in str(v("available_days") or "").split(",")}
        days = QWidget()
        row = QHBoxLayout(days)
        row.setContentsMargins(0, 0, 0, 0)
        for number, label in labels.WEEKDAYS_SHORT.items():
            box = QCheckBox(tr._(label))
            box.setObjectName(f"field_day_{number}")
            box.setChecked(str(number) in chosen)
            self.fields[f"day_{number}"] = box
            row.addWidget(box)
        row.addStretch(1)
        form.addRow(tr._("Available on"), days)
        self.add(form, "available_from", tr._("From"), TimeField(v("available_from")))
        self.add(form, "available_until", tr._("Until"), TimeField(v("available_until")))
        active = QCheckBox(tr._("Active (a teacher who left is made inactive, not removed)"))
        active.setChecked(bool(v("active", True)))
        self.add(form, "active", "", active)
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(520, 320)

    def day_box(self, number: int) -> QCheckBox:
        """The check box of ISO weekday ``number``."""
        box = self.fields[f"day_{number}"]
        assert isinstance(box, QCheckBox)
        return box

    def read(self) -> dict[str, Any]:
        """The typed values, with the checked days as "1,2,3"."""
        values = super().read()
        days = [str(n) for n in range(1, 8) if values.pop(f"day_{n}", False)]
        values["available_days"] = ",".join(days)
        return values


class ActivityForm(FormDialog):
    """A kind of activity: code, names in both languages, category."""

    def __init__(self, tr: Translator, values: dict[str, Any], parent: QWidget | None) -> None:
        super().__init__(tr._("Activity"), tr, parent)
        self.setObjectName("activityForm")
        v = values.get
        form = QFormLayout()
        self.add(form, "code", tr._("Code"), _line(v("code")))
        self.add(form, "name_nl", tr._("Dutch name"), _line(v("name_nl")))
        self.add(form, "name_en", tr._("English name"), _line(v("name_en")))
        self.add(form, "category", tr._("Category"), choice_box(CATEGORIES, v("category"), tr))
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(440, 200)
