"""What the Kandidaten page does: load, search and filter, show a record, change it.

The page holds no data of its own: rows come from the candidate service, and every
change goes through it and is followed by a reload of what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, QSettings, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QDialog

from kvds_desktop.domain import labels
from kvds_desktop.domain.enums import ENDED_STATUSES, CandidateStatus
from kvds_desktop.domain.search import search
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services import candidates as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.candidates.commands import TRANSITIONS
from kvds_desktop.services.lookups import klantmanager_choices, location_choices, municipalities
from kvds_desktop.services.scheduling.free_days import days_without_lessons
from kvds_desktop.store.database import Database
from kvds_desktop.ui.conflict_dialog import save_or_ask
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.pages.candidates.detail_view import CandidateDetailView
from kvds_desktop.ui.pages.candidates.forms import (
    CandidateForm,
    ExtendDialog,
    NoteDialog,
    PipDialog,
    StatusDialog,
    WorkProfileDialog,
)
from kvds_desktop.ui.pages.candidates.models import DeadlineLine, deadline_reason
from kvds_desktop.ui.pages.candidates.privacy_actions import CandidatePrivacy
from kvds_desktop.ui.pages.candidates.record_text import fill_record
from kvds_desktop.ui.pages.candidates.view import CandidatesPage
from kvds_desktop.ui.widgets import refill_combo

ALL = "__all__"
IN_PROGRESS = "__in_progress__"
SEARCH_DELAY_MS = 120


class EditCommand(QUndoCommand):
    """An edit of a record that Edit > Undo can take back."""

    def __init__(
        self,
        controller: CandidatesController,
        uid: str,
        old: dict[str, Any],
        new: dict[str, Any],
        text: str,
    ) -> None:
        super().__init__(text)
        self._controller, self._uid, self._old, self._new = controller, uid, old, new
        self._first = True

    def redo(self) -> None:
        if self._first:  # the change was made already when the command was pushed
            self._first = False
            return
        self._controller.apply_edit(self._uid, self._new)

    def undo(self) -> None:
        self._controller.apply_edit(self._uid, self._old)


class CandidatesController:
    """Drives the Kandidaten page."""

    def __init__(
        self,
        page: CandidatesPage,
        *,
        tr: Translator,
        dialogs: DialogService,
        qsettings: QSettings,
        undo_stack: QUndoStack,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
    ) -> None:
        self.page = page
        self.tr = tr
        self.dialogs = dialogs
        self.qsettings = qsettings
        self.undo_stack = undo_stack
        self.today = today
        self.actor = actor
        self.status = status
        self.db: Database | None = None
        self.rows: list[svc.CandidateRow] = []
        self.current_uid: str | None = None
        self.detail: svc.CandidateDetail | None = None
        self._search_timer = QTimer(page)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.privacy = CandidatePrivacy(dialogs, tr, actor, today, self._after_erase)
        self._connect()
        self.page.retranslate_ui(tr)
        self._restore_state()

    # -- wiring ---------------------------------------------------------------------------
    def _connect(self) -> None:
        p = self.page
        p.search.textChanged.connect(lambda _text: self._search_timer.start())
        for combo in p.filters.values():
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        p.clear_filters.clicked.connect(self.clear_filters)
        p.new_button.clicked.connect(self.new_candidate)
        p.table.selectionModel().selectionChanged.connect(self._on_selection)
        p.table.doubleClicked.connect(lambda _index: self.edit_candidate())
        p.deadline_table.doubleClicked.connect(self._open_deadline)
        d = p.detail
        d.edit_button.clicked.connect(self.edit_candidate)
        d.status_button.clicked.connect(self.change_status)
        d.note_button.clicked.connect(self.add_note)
        d.pip_button.clicked.connect(self.add_pip)
        d.extend_button.clicked.connect(self.extend_term)
        d.profile_button.clicked.connect(self.edit_work_profile)
        d.bsn_button.clicked.connect(self.reveal_bsn)
        d.subject_button.clicked.connect(self.export_subject)
        d.erase_button.clicked.connect(self.erase)
        p.merge_button.clicked.connect(self.merge_duplicates)
        p.not_duplicate_button.clicked.connect(self.not_duplicate)
        for keys, slot in (
            ("Ctrl+F", self._focus_search),
            ("Ctrl+Shift+N", self.new_candidate),
            ("Ctrl+E", self.edit_candidate),
        ):
            shortcut = QShortcut(QKeySequence(keys), p)
            shortcut.activated.connect(slot)

    def _focus_search(self) -> None:
        self.page.tabs.setCurrentIndex(0)
        self.page.search.setFocus()
        self.page.search.selectAll()

    def _restore_state(self) -> None:
        for key, widget in (
            ("candidates/splitter", self.page.splitter),
            ("candidates/columns", self.page.table.horizontalHeader()),
        ):
            state = self.qsettings.value(key)
            if state is not None:
                widget.restoreState(state)

    def save_state(self) -> None:
        """Remember splitter, column widths and filters."""
        self.qsettings.setValue("candidates/splitter", self.page.splitter.saveState())
        self.qsettings.setValue(
            "candidates/columns", self.page.table.horizontalHeader().saveState()
        )
        for name, combo in self.page.filters.items():
            self.qsettings.setValue(f"candidates/filter/{name}", combo.currentData())

    def set_translator(self, tr: Translator) -> None:
        """Switch the page to another language."""
        self.tr = tr
        self.page.retranslate_ui(tr)
        self._fill_filters()
        self._show_detail()

    # -- loading --------------------------------------------------------------------------
    def set_database(self, db: Database | None) -> None:
        """Show the candidates of ``db`` (None: an empty page)."""
        self.db = db
        self.undo_stack.clear()
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """Read the list again and reselect ``keep`` (or the current candidate)."""
        keep = keep or self.current_uid
        self.rows = svc.candidate_rows(self.db, self.today()) if self.db is not None else []
        self._fill_filters()
        self.apply_filters()
        self._fill_deadlines()
        self._fill_duplicates()
        self.select(keep)

    def _fill_filters(self) -> None:
        tr = self.tr
        rows = self.rows

        def values(attr: str) -> list[str]:
            return sorted({str(getattr(r, attr)) for r in rows if getattr(r, attr)})

        options: dict[str, list[tuple[Any, str]]] = {
            "municipality": [(ALL, tr._("All municipalities"))]
            + [(m, m) for m in values("municipality")],
            "status": [(IN_PROGRESS, tr._("In progress")), (ALL, tr._("All statuses"))]
            + [(s.value, tr._(labels.STATUS[s])) for s in CandidateStatus],
            "law": [(ALL, tr._("All laws"))] + [(k, tr._(v)) for k, v in labels.LAW.items()],
            "route": [(ALL, tr._("All routes"))] + [(k, tr._(v)) for k, v in labels.ROUTE.items()],
            "group": [(ALL, tr._("All groups"))] + [(g, g) for g in values("group")],
            "klantmanager": [(ALL, tr._("All klantmanagers"))]
            + [(k, k) for k in values("klantmanager")],
            "deadline": [
                (ALL, tr._("Any deadline")),
                ("soon", tr._("With a deadline")),
                ("overdue", tr._("Deadline passed")),
            ],
        }
        for name, combo in self.page.filters.items():
            current = combo.currentData()
            if current is None:
                current = self.qsettings.value(f"candidates/filter/{name}")
            refill_combo(combo, options[name], current)

    def clear_filters(self) -> None:
        """Show everyone in progress again."""
        self.page.search.clear()
        for combo in self.page.filters.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.apply_filters()

    def _matches(self, row: svc.CandidateRow) -> bool:
        chosen = {name: combo.currentData() for name, combo in self.page.filters.items()}
        status = chosen["status"]
        if status == IN_PROGRESS and CandidateStatus(row.status) in ENDED_STATUSES:
            return False
        if status not in (IN_PROGRESS, ALL, None) and row.status != status:
            return False
        for name in ("municipality", "law", "route", "group", "klantmanager"):
            if chosen[name] not in (ALL, None) and str(getattr(row, name)) != chosen[name]:
                return False
        deadline = chosen["deadline"]
        if deadline == "soon" and not row.deadlines:
            return False
        return not (deadline == "overdue" and not any(d.overdue for d in row.deadlines))

    def visible_rows(self) -> list[svc.CandidateRow]:
        """The rows that pass the filters and the search, best matches first."""
        rows = [r for r in self.rows if self._matches(r)]
        query = self.page.search.text().strip()
        if query:
            rows = [rows[i] for i, _score in search(query, [r.key for r in rows])]
        return rows

    def apply_filters(self) -> None:
        """Show the rows that pass the filters and the search."""
        rows = self.visible_rows()
        searching = bool(self.page.search.text().strip())
        if searching:
            self.page.table.sortByColumn(-1, self.page.proxy.sortOrder())
            self.page.proxy.sort(-1)
        self.page.model.set_rows(rows)
        self.page.count.setText(
            self.tr.ngettext("{n} candidate", "{n} candidates", len(rows)).format(n=len(rows))
        )
        if self.current_uid and self.current_uid in {r.uid for r in rows}:
            self.select(self.current_uid)

    def _fill_deadlines(self) -> None:
        lines = [
            DeadlineLine(r.uid, r.name, r.klantmanager, d) for r in self.rows for d in r.deadlines
        ]
        lines.sort(key=lambda line: line.deadline.due)
        self.page.deadline_model.set_rows(lines)

    def _fill_duplicates(self) -> None:
        pairs = svc.find_duplicates(self.db) if self.db is not None else []
        self.page.duplicate_model.set_rows(pairs)
        self.page.tabs.setTabText(
            2,
            self.tr._("Possible duplicates ({n})").format(n=len(pairs))
            if pairs
            else self.tr._("Possible duplicates"),
        )

    # -- selection and record -------------------------------------------------------------
    def select(self, uid: str | None) -> None:
        """Select the row of ``uid`` if it is shown."""
        if uid is None:
            self._set_current(None)
            return
        model, proxy, table = self.page.model, self.page.proxy, self.page.table
        for row, item in enumerate(model.rows()):
            if item.uid == uid:
                index = proxy.mapFromSource(model.index(row, 0))
                table.selectRow(index.row())
                table.scrollTo(index)
                self._set_current(uid)
                return
        self._set_current(
            uid if self.db is not None and uid in {r.uid for r in self.rows} else None
        )

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        source = self.page.proxy.mapToSource(indexes[0])
        self._set_current(self.page.model.row_at(source.row()).uid)

    def _set_current(self, uid: str | None) -> None:
        if uid == self.current_uid and self.detail is not None and uid is not None:
            return
        self.current_uid = uid
        self.detail = None
        if uid is not None and self.db is not None:
            try:
                self.detail = svc.candidate_detail(self.db, uid, self.today())
            except UserError as exc:
                self.status(exc.render(self.tr._))
                self.current_uid = None
        self._show_detail()

    def _show_detail(self) -> None:
        view: CandidateDetailView = self.page.detail
        tr = self.tr
        detail = self.detail
        if detail is None:
            view.show_empty(
                tr._("Choose a candidate in the list.")
                if self.rows
                else tr._(
                    "No candidates yet. Register one with New candidate, or "
                    "import a list from the municipality (Exchange page)."
                )
            )
            return
        assert self.db is not None
        year, week, _day = self.today().isocalendar()
        free = days_without_lessons(self.db, detail.uid, year, week)
        fill_record(view, detail, tr, deadline_reason, free)
        view.show_record()

    # -- actions --------------------------------------------------------------------------
    def _form(self, title: str, values: dict[str, Any], *, editing: bool) -> CandidateForm:
        assert self.db is not None
        return CandidateForm(
            title,
            values,
            self.tr,
            editing=editing,
            locations=location_choices(self.db),
            klantmanagers=klantmanager_choices(self.db),
            municipalities=municipalities(self.db),
            parent=self.page,
        )

    def new_candidate(self) -> None:
        """Register a new candidate with the record form."""
        if self.db is None:
            return
        form = self._form(
            self.tr._("New candidate"), {"registration_date": self.today()}, editing=False
        )
        created: list[str] = []

        def submit(_values: dict[str, Any]) -> None:
            assert self.db is not None
            created.append(svc.create_candidate(self.db, form.changes(), self.actor, self.today()))

        form.submit = submit
        if form.exec() == QDialog.DialogCode.Accepted and created:
            self.page.clear_filters.click()
            self.reload(keep=created[0])
            self.status(self.tr._("The candidate was registered."))

    def edit_candidate(self) -> None:
        """Edit the selected record; the change can be undone.

        The form keeps the version it loaded: when someone else saved the record in the
        meantime, the conflict dialog asks whether to keep mine, take theirs or go back.
        """
        if self.db is None or self.detail is None:
            return
        uid, loaded, version = self.detail.uid, dict(self.detail.values), self.detail.version
        form = self._form(
            self.tr._("Edit {name}").format(name=self.detail.name), dict(loaded), editing=True
        )
        done: list[tuple[dict[str, Any], dict[str, Any]]] = []
        theirs: list[bool] = []

        def submit(_values: dict[str, Any]) -> None:
            db, changes = self.db, form.changes()
            assert db is not None
            saved, old = save_or_ask(
                lambda version: svc.update_candidate(
                    db, uid, changes, self.actor, self.today(),
                    expected_version=version, loaded=loaded,
                ),
                version, form, self.tr,
            )  # fmt: skip
            if not saved or old is None:
                theirs.append(True)
                return
            done.append((old, {k: changes[k] for k in old}))

        form.submit = submit
        accepted = form.exec() == QDialog.DialogCode.Accepted
        if accepted and theirs:
            self.current_uid = None
            self.reload(keep=uid)
            self.status(self.tr._("Your entries were dropped; the record shows their changes."))
            return
        if accepted and done and done[0][0]:
            old, new = done[0]
            self.undo_stack.push(
                EditCommand(
                    self, uid, old, new, self.tr._("edit of {name}").format(name=self.detail.name)
                )
            )
            self.current_uid = None  # read the record again: its new values and version
            self.reload(keep=uid)
            self.status(self.tr._("Saved."))

    def apply_edit(self, uid: str, values: dict[str, Any]) -> None:
        """Write ``values`` to the record (used by undo and redo)."""
        if self.db is None:
            return
        try:
            svc.update_candidate(self.db, uid, values, self.actor, self.today())
        except UserError as exc:
            self.dialogs.error(self.tr._("The change could not be undone"), exc.render(self.tr._))
            return
        self.current_uid = None
        self.reload(keep=uid)

    def _run_dialog(self, dialog: Any, action: Callable[[dict[str, Any]], Any], done: str) -> None:
        dialog.submit = action
        if dialog.exec() == QDialog.DialogCode.Accepted:
            uid = self.current_uid
            self.current_uid = None
            self.reload(keep=uid)
            self.status(done)

    def change_status(self) -> None:
        """Move the candidacy to another status."""
        if self.db is None or self.detail is None:
            return
        uid, db = self.detail.uid, self.db
        current = CandidateStatus(self.detail.status)
        allowed = sorted(TRANSITIONS.get(current, frozenset()), key=list(CandidateStatus).index)
        dialog = StatusDialog(self.tr, [s.value for s in allowed], self.today(), self.page)
        self._run_dialog(
            dialog,
            lambda v: svc.change_status(
                db,
                uid,
                v["status"],
                v["effective"] or self.today(),
                v["reason"],
                self.actor,
                self.today(),
            ),
            self.tr._("The status was changed."),
        )

    def add_note(self) -> None:
        """Write a note in the log."""
        if self.db is None or self.detail is None:
            return
        uid, db = self.detail.uid, self.db
        self._run_dialog(
            NoteDialog(self.tr, self.page),
            lambda v: svc.add_note(db, uid, v["text"], self.actor),
            self.tr._("The note was saved."),
        )

    def add_pip(self) -> None:
        """Record a new PIP version."""
        if self.db is None or self.detail is None:
            return
        d, db = self.detail, self.db
        dialog = PipDialog(
            self.tr,
            d.values.get("route"),
            d.values.get("target_level"),
            self.today(),
            not d.pip_versions,
            self.page,
        )
        self._run_dialog(
            dialog,
            lambda v: svc.add_pip_version(
                db,
                d.uid,
                decision_date=v["decision_date"] or self.today(),
                route=v["route"],
                target_level=v["target_level"],
                reason=v["reason"],
                actor=self.actor,
                today=self.today(),
            ),
            self.tr._("The PIP was recorded."),
        )

    def extend_term(self) -> None:
        """Extend the integration term."""
        if self.db is None or self.detail is None:
            return
        uid, db = self.detail.uid, self.db
        self._run_dialog(
            ExtendDialog(self.tr, self.today(), self.page),
            lambda v: svc.extend_term(
                db,
                uid,
                months=v["months"],
                reason=v["reason"],
                decided_on=v["decided_on"] or self.today(),
                actor=self.actor,
            ),
            self.tr._("The term was extended."),
        )

    def edit_work_profile(self) -> None:
        """Edit availability, mobility and background."""
        if self.db is None or self.detail is None:
            return
        uid, db = self.detail.uid, self.db
        dialog = WorkProfileDialog(self.tr, dict(self.detail.work_profile), self.page)
        self._run_dialog(
            dialog,
            lambda v: svc.save_work_profile(db, uid, v, self.actor),
            self.tr._("The work profile was saved."),
        )

    def export_subject(self) -> None:
        """Everything the application holds about the current candidate, as PDF or JSON."""
        if self.db is not None and self.detail is not None:
            self.privacy.export(self.db, self.detail.uid, self.detail.name)

    def erase(self) -> None:
        """Erase the current candidate after a reason and a confirmation."""
        if self.db is not None and self.detail is not None:
            self.privacy.erase(self.db, self.detail.uid, self.detail.name)

    def reveal_bsn(self) -> None:
        """Show the full BSN once, on request; the request is audited."""
        if self.db is None or self.detail is None:
            return
        number = svc.reveal_bsn(self.db, self.detail.uid, self.actor)
        self.dialogs.info(
            self.tr._("BSN of {name}").format(name=self.detail.name),
            number or self.tr._("No BSN is recorded."),
        )

    def _after_erase(self) -> None:
        self.current_uid = None
        self.detail = None
        self.reload()

    def _open_deadline(self) -> None:
        indexes = self.page.deadline_table.selectionModel().selectedRows()
        if not indexes:
            return
        line = self.page.deadline_model.row_at(
            self.page.deadline_proxy.mapToSource(indexes[0]).row()
        )
        self.page.tabs.setCurrentIndex(0)
        self.clear_filters()
        self.select(line.uid)

    def _selected_pair(self) -> svc.DuplicatePair | None:
        indexes = self.page.duplicate_table.selectionModel().selectedRows()
        if not indexes:
            self.dialogs.info(self.tr._("Possible duplicates"), self.tr._("Choose a pair first."))
            return None
        return self.page.duplicate_model.row_at(
            self.page.duplicate_proxy.mapToSource(indexes[0]).row()
        )

    def merge_duplicates(self) -> None:
        """Merge the second record of the chosen pair into the first."""
        pair = self._selected_pair()
        if pair is None or self.db is None:
            return
        question = self.tr._(
            "Merge {second} into {first}? All history of both records is kept "
            "in {first}; this cannot be undone."
        ).format(first=pair.first_name, second=pair.second_name)
        if not self.dialogs.confirm(self.tr._("Merge records"), question):
            return
        try:
            svc.merge_candidates(self.db, pair.first_uid, pair.second_uid, self.actor)
        except UserError as exc:
            self.dialogs.error(self.tr._("The records could not be merged"), exc.render(self.tr._))
            return
        self.reload(keep=pair.first_uid)
        self.status(self.tr._("The records were merged."))

    def not_duplicate(self) -> None:
        """Remember that the chosen pair are two people."""
        pair = self._selected_pair()
        if pair is None or self.db is None:
            return
        svc.mark_not_duplicate(self.db, pair.first_uid, pair.second_uid, self.actor)
        self._fill_duplicates()
