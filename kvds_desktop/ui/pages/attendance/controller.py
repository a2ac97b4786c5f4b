"""What the Aanwezigheid page does: the day's lessons, a register typed with the keyboard
(each mark saved at once and undoable), marking the rest present, a mark's history, and
the lessons not registered yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QDialog, QFormLayout, QSpinBox, QTableWidgetItem

from kvds_desktop.domain.enums import AbsenceReason
from kvds_desktop.errors import N_, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services import attendance as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.lookups import teacher_choices
from kvds_desktop.services.offline import merge
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.forms import FormDialog, choice_box
from kvds_desktop.ui.pages.attendance.models import RegisterModel
from kvds_desktop.ui.pages.attendance.overview_tabs import OverviewTabsController
from kvds_desktop.ui.pages.attendance.view import AttendancePage
from kvds_desktop.ui.widgets import refill_combo

REASON_LABELS: dict[str, str] = {
    AbsenceReason.ZIEK: N_("ill"),
    AbsenceReason.AFSPRAAK_INSTANTIE: N_("appointment with an agency"),
    AbsenceReason.WERK: N_("work"),
    AbsenceReason.ZORGTAKEN: N_("care duties"),
    AbsenceReason.OVERIG: N_("other"),
}


class MarkDetails(FormDialog):
    """The reason and/or the minutes a status asks for."""

    def __init__(self, tr: Translator, title: str, *, reason: bool, minutes: bool) -> None:
        super().__init__(title, tr)
        form = QFormLayout()
        if reason:
            self.add(
                form,
                "reason",
                tr._("Reason"),
                choice_box(tuple(REASON_LABELS.items()), AbsenceReason.ZIEK.value, tr),
            )
        if minutes:
            spin = QSpinBox()
            spin.setRange(1, 480)
            spin.setValue(15)
            self.add(form, "minutes", tr._("Minutes"), spin)
        self.layout_.addLayout(form)
        self.finish_layout()


class MarkCommand(QUndoCommand):
    """A mark (or several) that Edit > Undo takes back; redo puts it in again."""

    def __init__(
        self, controller: AttendanceController, lesson_uid: str, changes: list[Any], text: str
    ) -> None:
        super().__init__(text)
        self._controller, self._lesson, self._changes = controller, lesson_uid, changes
        self._first = True

    def redo(self) -> None:
        if self._first:  # already written when the command was pushed
            self._first = False
            return
        for change in self._changes:
            self._controller.apply(self._lesson, change.candidate_uid, change.after)

    def undo(self) -> None:
        for change in reversed(self._changes):
            self._controller.apply(self._lesson, change.candidate_uid, change.before)


class AttendanceController:
    """Drives the Aanwezigheid page."""

    def __init__(
        self,
        page: AttendancePage,
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
        self.day = today()
        self.lesson_uid: str | None = None
        self.statuses: dict[str, Any] = {}
        self.model = RegisterModel(tr)
        self.model.setParent(page)
        page.register.setModel(self.model)
        p = page
        p.previous_day.clicked.connect(lambda: self.go_to(self.day - timedelta(days=1)))
        p.next_day.clicked.connect(lambda: self.go_to(self.day + timedelta(days=1)))
        p.today_button.clicked.connect(lambda: self.go_to(self.today()))
        p.teacher.currentIndexChanged.connect(lambda _i: self._fill_lessons())
        p.lessons.itemSelectionChanged.connect(self._lesson_chosen)
        p.unregistered.itemDoubleClicked.connect(lambda _item: self._open_unregistered())
        p.register.status_key.connect(self.key_pressed)
        p.rest_present.clicked.connect(self.mark_rest_present)
        p.history.clicked.connect(self.show_history)
        for keys, slot in (
            ("Alt+Left", lambda: self.go_to(self.day - timedelta(days=1))),
            ("Alt+Right", lambda: self.go_to(self.day + timedelta(days=1))),
            ("Ctrl+Shift+A", self.mark_rest_present),
        ):
            QShortcut(QKeySequence(keys), p).activated.connect(slot)
        self.overview = OverviewTabsController(
            page.figures, page.signals, dialogs=dialogs, today=today, actor=actor, status=status
        )
        self.set_translator(tr)
        state = qsettings.value("attendance/splitter")
        if state is not None:
            p.splitter.restoreState(state)

    def save_state(self) -> None:
        """Remember the splitter."""
        self.qsettings.setValue("attendance/splitter", self.page.splitter.saveState())

    def set_translator(self, tr: Translator) -> None:
        """Switch the page to another language."""
        self.tr = tr
        self.page.retranslate_ui(tr)
        self.model.set_translator(tr)
        self.overview.set_translator(tr)
        self.reload()

    def set_database(self, db: Database | None) -> None:
        """Show the lessons of ``db``, starting today."""
        self.db = db
        self.day = self.today()
        self.lesson_uid = None
        if db is not None:
            svc.ensure_default_statuses(db, self.actor)
            svc.ensure_default_rules(db, self.actor)
        self.overview.set_database(db)
        self.reload()

    # -- the day ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read statuses, teachers, the day's lessons and the open register again."""
        teachers = teacher_choices(self.db) if self.db is not None else []
        refill_combo(
            self.page.teacher,
            [(None, self.tr._("All teachers")), *teachers],
            self.page.teacher.currentData(),
        )
        self.statuses = {s.code: s for s in svc.list_statuses(self.db)} if self.db else {}
        self.model.present_codes = {c for c, s in self.statuses.items() if s.counts_present}
        self.page.legend.setText(
            "   ".join(
                f"{code} = {s.label_en if self.tr.language == 'en' else s.label_nl}"
                for code, s in self.statuses.items()
            )
            + "\n"
            + self.tr._(
                "Type a letter to mark the selected person; Enter goes to the next. "
                "Every mark is saved at once; Ctrl+Z undoes it."
            )
        )
        self._fill_lessons()
        self._fill_unregistered()

    def go_to(self, day: date) -> None:
        """Show the lessons of ``day``."""
        self.day = day
        self.lesson_uid = None
        self._fill_lessons()

    def _fill_lessons(self) -> None:
        p, tr = self.page, self.tr
        p.day_label.setText(tr.date(self.day, "full"))
        found = []
        if self.db is not None:
            found = svc.lessons_for_day(self.db, self.day, teacher_id=p.teacher.currentData())
        p.lessons.setSortingEnabled(False)
        p.lessons.setRowCount(len(found))
        for row, lesson in enumerate(found):
            name = lesson.activity_name_en if tr.language == "en" else lesson.activity_name_nl
            values = [
                f"{lesson.start:%H:%M}–{lesson.end:%H:%M}",
                lesson.group_name,
                name,
                lesson.teacher_name,
                tr._("cancelled") if lesson.cancelled else "",
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, lesson.uid)
                p.lessons.setItem(row, column, item)
        p.lessons.resizeColumnsToContents()
        if found:
            chosen = next((i for i, les in enumerate(found) if les.uid == self.lesson_uid), 0)
            p.lessons.selectRow(chosen)
            self._lesson_chosen()
        else:
            self.lesson_uid = None
            self.model.set_rows([])
            p.header.setText(tr._("No lessons on this day."))

    def _lesson_chosen(self) -> None:
        row = self.page.lessons.currentRow()
        item = self.page.lessons.item(row, 0) if row >= 0 else None
        uid = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if uid:
            self.open_lesson(str(uid))

    def open_lesson(self, uid: str, keep_row: int = 0) -> None:
        """Show the register of lesson ``uid`` with its real marks."""
        if self.db is None:
            return
        try:
            header, rows = svc.open_register(self.db, uid)
        except UserError as exc:
            self.status(exc.render(self.tr._))
            return
        self.lesson_uid = uid
        marked = sum(1 for r in rows if r.mark is not None)
        name = header.activity_name_en if self.tr.language == "en" else header.activity_name_nl
        self.page.header.setText(
            self.tr._(
                "{group} · {activity} · {date} {start}–{end} · {teacher} · {marked} of {total} "
                "registered"
            ).format(
                group=header.group_name,
                activity=name,
                date=self.tr.date(header.lesson_date, "long"),
                start=f"{header.start:%H:%M}",
                end=f"{header.end:%H:%M}",
                teacher=header.teacher_name,
                marked=marked,
                total=len(rows),
            )
        )
        self.model.set_rows(rows)
        self.page.register.resizeColumnsToContents()
        if rows:
            row = min(keep_row, len(rows) - 1)
            self.page.register.selectRow(row)
            self.page.register.setCurrentIndex(self.model.index(row, 0))

    # -- marking ---------------------------------------------------------------------------
    def key_pressed(self, code: str) -> None:
        """Mark the selected person with the status whose key was typed."""
        status = self.statuses.get(code)
        if status is None:
            self.status(self.tr._("No status has the key {key}.").format(key=code))
            return
        row = self.page.register.currentIndex().row()
        if self.db is None or self.lesson_uid is None or row < 0:
            return
        person = self.model.row_at(row)
        details: dict[str, Any] = {}
        if status.needs_reason or status.needs_minutes:
            label = status.label_en if self.tr.language == "en" else status.label_nl
            dialog = MarkDetails(
                self.tr,
                f"{person.name}: {label}",
                reason=status.needs_reason,
                minutes=status.needs_minutes,
            )
            dialog.submit = details.update
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        try:
            change = svc.set_mark(
                self.db,
                lesson_uid=self.lesson_uid,
                candidate_uid=person.candidate_uid,
                status_code=code,
                reason=details.get("reason") or "",
                minutes=details.get("minutes"),
                actor=self.actor,
                source=self.actor.device,
                now=datetime.now(UTC),
            )
        except UserError as exc:
            self.dialogs.error(self.tr._("The mark was not saved"), exc.render(self.tr._))
            return
        self.undo_stack.push(
            MarkCommand(
                self,
                self.lesson_uid,
                [change],
                self.tr._("mark of {name}").format(name=person.name),
            )
        )
        self.open_lesson(self.lesson_uid, keep_row=row + 1)

    def apply(self, lesson_uid: str, candidate_uid: str, mark: Any) -> None:
        """Put a mark back as it was (undo and redo); None removes the mark."""
        if self.db is None:
            return
        now = datetime.now(UTC)
        try:
            if mark is None:
                svc.clear_mark(
                    self.db,
                    lesson_uid=lesson_uid,
                    candidate_uid=candidate_uid,
                    actor=self.actor,
                    now=now,
                )
            else:
                svc.set_mark(
                    self.db,
                    lesson_uid=lesson_uid,
                    candidate_uid=candidate_uid,
                    status_code=mark.status_code,
                    reason=mark.reason,
                    minutes=mark.minutes,
                    note=mark.note,
                    actor=self.actor,
                    source=self.actor.device,
                    now=now,
                )
        except UserError as exc:
            self.dialogs.error(self.tr._("The mark could not be put back"), exc.render(self.tr._))
        if lesson_uid == self.lesson_uid:
            self.open_lesson(lesson_uid, keep_row=self.page.register.currentIndex().row())

    def mark_rest_present(self) -> None:
        """Mark everyone on the roster without a mark present, in one step."""
        if self.db is None or self.lesson_uid is None:
            return
        try:
            changes = svc.mark_rest_present(
                self.db, lesson_uid=self.lesson_uid, actor=self.actor, now=datetime.now(UTC)
            )
        except UserError as exc:
            self.dialogs.error(self.tr._("The marks were not saved"), exc.render(self.tr._))
            return
        if changes:
            self.undo_stack.push(
                MarkCommand(
                    self,
                    self.lesson_uid,
                    changes,
                    self.tr._("{n} marked present").format(n=len(changes)),
                )
            )
        self.open_lesson(self.lesson_uid)
        self._fill_unregistered()

    def show_history(self) -> None:
        """Every change of the selected person's mark: who, when, from where, old and new."""
        row = self.page.register.currentIndex().row()
        if self.db is None or self.lesson_uid is None or row < 0:
            return
        person = self.model.row_at(row)
        history = svc.mark_history(self.db, self.lesson_uid, person.candidate_uid)
        lines = [
            f"{self.tr.datetime(h.at, 'short')} · {h.actor} ({h.device}): "
            f"{h.old.get('status', '–') if h.old else '–'} → "
            f"{h.new.get('status', '–') if h.new else '–'}"
            for h in history
        ]
        claims = merge.provenance(self.db, self.lesson_uid, person.candidate_uid)
        if claims:
            lines += ["", self.tr._("Received from teachers:")]
            lines += [
                "· "
                + self.tr._("{who}, file {file}: {status} (entry {revision}, typed {at})").format(
                    who=c.label,
                    file=c.file_name or "–",
                    status=c.status_code or self.tr._("withdrawn"),
                    revision=c.revision,
                    at=self.tr.datetime(c.recorded_at, "short") if c.recorded_at else "–",
                )
                for c in claims
            ]
        self.dialogs.info(
            self.tr._("History of the mark of {name}").format(name=person.name),
            "\n".join(lines) or self.tr._("No marks yet."),
        )

    # -- not registered yet ----------------------------------------------------------------
    def _fill_unregistered(self) -> None:
        rows = []
        if self.db is not None:
            rows = svc.unregistered_lessons(self.db, until=self.today())
        table = self.page.unregistered
        table.setSortingEnabled(False)
        table.setRowCount(len(rows))
        for r, lesson in enumerate(rows):
            values = [
                self.tr.date(lesson.lesson_date, "short"),
                f"{lesson.start:%H:%M}",
                lesson.group_name,
                lesson.teacher_name,
                f"{lesson.marked} / {lesson.roster_size}",
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, (lesson.lesson_uid, lesson.lesson_date))
                table.setItem(r, c, item)
        table.setSortingEnabled(True)
        table.resizeColumnsToContents()
        self.page.left_tabs.setTabText(1, self.tr._("Not registered yet ({n})").format(n=len(rows)))

    def _open_unregistered(self) -> None:
        row = self.page.unregistered.currentRow()
        item = self.page.unregistered.item(row, 0) if row >= 0 else None
        if item is None:
            return
        uid, day = item.data(Qt.ItemDataRole.UserRole)
        self.lesson_uid = uid
        self.day = day
        self.page.left_tabs.setCurrentIndex(0)
        self._fill_lessons()
