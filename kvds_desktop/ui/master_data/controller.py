"""What the Master data dialog does: lists the records, opens their forms, saves through
the master data service and shows the lists again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem, QWidget

from kvds_desktop.domain import labels
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services import master_data as md
from kvds_desktop.services.audit import Actor
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.forms import FormDialog
from kvds_desktop.ui.master_data.dialog import (
    CATEGORIES,
    PROVIDER_KINDS,
    ActivityForm,
    LocationForm,
    MasterDataDialog,
    MasterTab,
    ProviderForm,
    RoomForm,
    TeacherForm,
)

ID_ROLE = Qt.ItemDataRole.UserRole
Cell = str | int


def _item(value: Cell) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setData(Qt.ItemDataRole.DisplayRole, value)  # numbers sort as numbers
    return item


def fill(table: QTableWidget, rows: Sequence[tuple[int, Sequence[Cell]]]) -> None:
    """Show ``rows`` of (id, cells) in ``table``, keeping its sort order and selection."""
    chosen = selected_id(table)
    table.setSortingEnabled(False)
    table.clearContents()
    table.setRowCount(len(rows))
    for row, (record_id, cells) in enumerate(rows):
        for column, value in enumerate(cells):
            item = _item(value)
            if column == 0:
                item.setData(ID_ROLE, record_id)
            table.setItem(row, column, item)
    table.setSortingEnabled(True)
    table.resizeColumnsToContents()
    if chosen is not None:
        select(table, chosen)


def selected_id(table: QTableWidget) -> int | None:
    """The id of the record in the current row, None when no row is chosen."""
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return None if item is None else int(item.data(ID_ROLE))


def select(table: QTableWidget, record_id: int) -> None:
    """Make the row of ``record_id`` the current one."""
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and item.data(ID_ROLE) == record_id:
            table.selectRow(row)
            table.scrollToItem(item)
            return


def _hours(start: time, end: time) -> str:
    return f"{start.strftime('%H:%M')}–{end.strftime('%H:%M')}"


class MasterDataController:
    """Keeps the five lists of the dialog and their forms working."""

    def __init__(
        self,
        view: MasterDataDialog,
        db: Database,
        tr: Translator,
        dialogs: DialogService,
        actor: Actor,
        today: date,
    ) -> None:
        self.view = view
        self.db = db
        self.tr = tr
        self.dialogs = dialogs
        self.actor = actor
        self.today = today
        self.location_rows: dict[int, md.LocationRow] = {}
        self.room_rows: dict[int, md.RoomRow] = {}
        self.provider_rows: dict[int, md.ProviderRow] = {}
        self.teacher_rows: dict[int, md.TeacherRow] = {}
        self.activity_rows: dict[int, md.ActivityRow] = {}
        self._wire(view.locations, self.edit_location)
        self._wire(view.rooms, self.edit_room)
        self._wire(view.providers, self.edit_provider)
        self._wire(view.teachers, self.edit_teacher)
        self._wire(view.activities, self.edit_activity)
        if view.rooms.remove is not None:
            view.rooms.remove.clicked.connect(self.remove_room)
        view.retranslate_ui(tr)
        self.reload()

    def _wire(self, tab: MasterTab, edit: Callable[[int | None], None]) -> None:
        tab.add.clicked.connect(lambda: edit(None))
        tab.edit.clicked.connect(lambda: self._edit_chosen(tab, edit))
        tab.table.cellDoubleClicked.connect(lambda *_: self._edit_chosen(tab, edit))
        tab.table.itemSelectionChanged.connect(lambda: self._enable(tab))
        self._enable(tab)

    @staticmethod
    def _enable(tab: MasterTab) -> None:
        chosen = selected_id(tab.table) is not None
        tab.edit.setEnabled(chosen)
        if tab.remove is not None:
            tab.remove.setEnabled(chosen)

    @staticmethod
    def _edit_chosen(tab: MasterTab, edit: Callable[[int | None], None]) -> None:
        record_id = selected_id(tab.table)
        if record_id is not None:
            edit(record_id)

    # --- lists --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read all five lists from the database and show them."""
        _ = self.tr._
        kinds = dict(PROVIDER_KINDS)
        categories = dict(CATEGORIES)
        self.location_rows = {r.id: r for r in md.list_locations(self.db)}
        self.room_rows = {r.id: r for r in md.list_rooms(self.db)}
        self.provider_rows = {r.id: r for r in md.list_providers(self.db)}
        self.teacher_rows = {r.id: r for r in md.list_teachers(self.db)}
        self.activity_rows = {r.id: r for r in md.list_activities(self.db)}
        fill(
            self.view.locations.table,
            [
                (r.id, [r.name, r.municipality, r.address, r.postcode, r.city, r.rooms])
                for r in self.location_rows.values()
            ],
        )
        fill(
            self.view.rooms.table,
            [(r.id, [r.location_name, r.name, r.capacity]) for r in self.room_rows.values()],
        )
        fill(
            self.view.providers.table,
            [
                (
                    r.id,
                    [
                        r.name,
                        _(kinds.get(r.kind, r.kind)),
                        r.contact_name,
                        r.contact_email,
                        r.teachers,
                    ],
                )
                for r in self.provider_rows.values()
            ],
        )
        fill(
            self.view.teachers.table,
            [
                (
                    r.id,
                    [
                        r.name,
                        r.provider_name,
                        r.email,
                        r.phone,
                        self.day_names(r.available_days),
                        _hours(r.available_from, r.available_until),
                        _("yes") if r.active else _("no"),
                    ],
                )
                for r in self.teacher_rows.values()
            ],
        )
        fill(
            self.view.activities.table,
            [
                (r.id, [r.code, r.name_nl, r.name_en, _(categories.get(r.category, r.category))])
                for r in self.activity_rows.values()
            ],
        )
        for tab in self.view.all_tabs():
            self._enable(tab)

    def day_names(self, days: str) -> str:
        """ "1,3" as "Mon, Wed" in the user's language."""
        names = []
        for part in days.split(","):
            if part.strip().isdigit() and int(part) in labels.WEEKDAYS_SHORT:
                names.append(self.tr._(labels.WEEKDAYS_SHORT[int(part)]))
        return ", ".join(names)

    # --- forms --------------------------------------------------------------------------------

    def _run(
        self, form: FormDialog, table: QTableWidget, save: Callable[[dict[str, Any]], int]
    ) -> None:
        saved: list[int] = []
        form.submit = lambda values: saved.append(save(values))
        accepted = form.exec() == QDialog.DialogCode.Accepted
        form.deleteLater()
        if accepted and saved:
            self.reload()
            select(table, saved[-1])

    def _parent(self) -> QWidget:
        return self.view

    def edit_location(self, record_id: int | None) -> None:
        """Add a location (``record_id`` None) or change the chosen one."""
        row = self.location_rows.get(record_id) if record_id is not None else None
        form = LocationForm(self.tr, asdict(row) if row else {}, self._parent())

        def save(v: dict[str, Any]) -> int:
            return md.save_location(
                self.db,
                id=record_id,
                name=v["name"],
                municipality=v["municipality"],
                address=v["address"],
                postcode=v["postcode"],
                city=v["city"],
                actor=self.actor,
            )

        self._run(form, self.view.locations.table, save)

    def edit_room(self, record_id: int | None) -> None:
        """Add a room (``record_id`` None) or change the chosen one."""
        row = self.room_rows.get(record_id) if record_id is not None else None
        locations = [(r.id, r.name) for r in self.location_rows.values()]
        form = RoomForm(self.tr, asdict(row) if row else {}, locations, self._parent())

        def save(v: dict[str, Any]) -> int:
            return md.save_room(
                self.db,
                id=record_id,
                location_id=v["location_id"],
                name=v["name"],
                capacity=v["capacity"],
                actor=self.actor,
            )

        self._run(form, self.view.rooms.table, save)

    def remove_room(self) -> None:
        """Remove the chosen room after asking; refused while lessons or slots use it."""
        record_id = selected_id(self.view.rooms.table)
        row = self.room_rows.get(record_id) if record_id is not None else None
        if row is None:
            return
        _ = self.tr._
        question = _("Remove room {name} at {location}?").format(
            name=row.name, location=row.location_name
        )
        if not self.dialogs.confirm(_("Remove the room"), question):
            return
        try:
            md.delete_room(self.db, row.id, self.actor)
        except UserError as exc:
            self.dialogs.error(_("The room was not removed"), exc.render(_))
            return
        self.reload()

    def edit_provider(self, record_id: int | None) -> None:
        """Add a provider (``record_id`` None) or change the chosen one."""
        row = self.provider_rows.get(record_id) if record_id is not None else None
        form = ProviderForm(self.tr, asdict(row) if row else {}, self._parent())

        def save(v: dict[str, Any]) -> int:
            return md.save_provider(
                self.db,
                id=record_id,
                name=v["name"],
                kind=v["kind"],
                contact_name=v["contact_name"],
                contact_email=v["contact_email"],
                actor=self.actor,
            )

        self._run(form, self.view.providers.table, save)

    def edit_teacher(self, record_id: int | None) -> None:
        """Add a teacher (``record_id`` None) or change the chosen one (or make them inactive)."""
        row = self.teacher_rows.get(record_id) if record_id is not None else None
        values: dict[str, Any] = (
            asdict(row)
            if row is not None
            else {
                "available_days": "1,2,3,4,5",
                "available_from": time(8, 30),
                "available_until": time(17, 0),
                "active": True,
            }
        )
        providers = [(r.id, r.name) for r in self.provider_rows.values()]
        form = TeacherForm(self.tr, values, providers, self._parent())

        def save(v: dict[str, Any]) -> int:
            return md.save_teacher(
                self.db,
                id=record_id,
                provider_id=v["provider_id"],
                name=v["name"],
                email=v["email"],
                phone=v["phone"],
                available_days=v["available_days"],
                available_from=v["available_from"],
                available_until=v["available_until"],
                active=v["active"],
                actor=self.actor,
            )

        self._run(form, self.view.teachers.table, save)

    def edit_activity(self, record_id: int | None) -> None:
        """Add a kind of activity (``record_id`` None) or change the chosen one."""
        row = self.activity_rows.get(record_id) if record_id is not None else None
        form = ActivityForm(self.tr, asdict(row) if row else {}, self._parent())

        def save(v: dict[str, Any]) -> int:
            return md.save_activity(
                self.db,
                id=record_id,
                code=v["code"],
                name_nl=v["name_nl"],
                name_en=v["name_en"],
                category=v["category"],
                actor=self.actor,
            )

        self._run(form, self.view.activities.table, save)


def open_master_data(
    parent: QWidget | None,
    db: Database,
    tr: Translator,
    dialogs: DialogService,
    actor: Actor,
    today: date,
) -> None:
    """Show the Master data dialog modally; every change is saved as it is made."""
    view = MasterDataDialog(parent)
    try:
        controller = MasterDataController(view, db, tr, dialogs, actor, today)
    except UserError as exc:
        view.deleteLater()
        dialogs.error(tr._("Master data"), exc.render(tr._))
        return
    view.exec()
    del controller
    view.deleteLater()
