"""Tools > Attendance statuses and signal rules: both are data, edited here.

Statuses: the key a teacher types, the labels in Dutch and English, what the status
counts as, whether it asks for a reason or minutes, and whether a teacher may use it.
Signal rules: per municipality (empty: all), when an absence signal goes to the
klantmanager, and how often at most.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.errors import N_, UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services import attendance as svc
from kvds_desktop.services.audit import Actor
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.forms import FormDialog, choice_box
from kvds_desktop.ui.widgets import table

KIND_LABELS: dict[str, str] = {
    "rate": N_("attendance below a percentage"),
    "consecutive": N_("absences in a row"),
    "unexcused": N_("unexcused absences within a number of weeks"),
}
FLAGS = (
    "counts_present",
    "counts_late",
    "excused",
    "needs_reason",
    "needs_minutes",
    "teacher_may_use",
    "active",
)


def _yes(value: bool, tr: Translator) -> str:
    return tr._("yes") if value else tr._("no")


class StatusForm(FormDialog):
    """One attendance status."""

    def __init__(self, tr: Translator, values: dict[str, Any]) -> None:
        super().__init__(tr._("Attendance status"), tr)
        v = values.get
        form = QFormLayout()
        code = QLineEdit(v("code") or "")
        code.setMaxLength(1)
        self.add(form, "code", tr._("Key"), code)
        self.add(form, "label_nl", tr._("Dutch name"), QLineEdit(v("label_nl") or ""))
        self.add(form, "label_en", tr._("English name"), QLineEdit(v("label_en") or ""))
        texts = {
            "counts_present": tr._("Counts as present"),
            "counts_late": tr._("Counts as late"),
            "excused": tr._("Excused (geoorloofd)"),
            "needs_reason": tr._("Asks for a reason"),
            "needs_minutes": tr._("Asks for minutes late or left early"),
            "teacher_may_use": tr._("A teacher may use it"),
            "active": tr._("In use"),
        }
        for name in FLAGS:
            box = QCheckBox(texts[name])
            box.setChecked(bool(v(name, name in ("teacher_may_use", "active"))))
            self.add(form, name, "", box)
        self.layout_.addLayout(form)
        self.finish_layout()


class RuleForm(FormDialog):
    """One signal rule."""

    def __init__(self, tr: Translator, values: dict[str, Any]) -> None:
        super().__init__(tr._("Signal rule"), tr)
        v = values.get
        form = QFormLayout()
        municipality = QLineEdit(v("municipality") or "")
        municipality.setPlaceholderText(tr._("empty: every municipality"))
        self.add(form, "municipality", tr._("Municipality"), municipality)
        self.add(
            form,
            "kind",
            tr._("Kind"),
            choice_box(tuple(KIND_LABELS.items()), v("kind") or "rate", tr),
        )
        threshold = QDoubleSpinBox()
        threshold.setRange(1, 100)
        threshold.setValue(float(v("threshold") or 80))
        self.add(
            form, "threshold", tr._("Threshold (percentage, or number of absences)"), threshold
        )
        for name, label, low, high, default in (
            ("min_lessons", tr._("At least this many lessons"), 0, 200, 8),
            ("window_weeks", tr._("Over this many weeks"), 1, 52, 4),
            ("max_repeats", tr._("At most this many signals per period"), 1, 10, 1),
        ):
            spin = QSpinBox()
            spin.setRange(low, high)
            current = v(name)
            spin.setValue(int(current) if current is not None else default)
            self.add(form, name, label, spin)
        active = QCheckBox(tr._("In use"))
        active.setChecked(bool(v("active", True)))
        self.add(form, "active", "", active)
        self.layout_.addLayout(form)
        self.finish_layout()


class RulesDialog(QDialog):
    """Two tabs: statuses and signal rules, each with Add and Edit."""

    def __init__(
        self,
        db: Database,
        tr: Translator,
        dialogs: DialogService,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rulesDialog")
        self.db, self.translator, self.dialogs, self.actor = db, tr, dialogs, actor
        self.setWindowTitle(tr._("Attendance statuses and signal rules"))
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.statuses = table(9, "statusTable")
        self.rules = table(7, "ruleTable")
        self.status_rows: list[svc.StatusRow] = []
        self.rule_rows: list[svc.RuleRow] = []
        for widget, title, add, edit in (
            (self.statuses, tr._("Statuses"), self.add_status, self.edit_status),
            (self.rules, tr._("Signal rules"), self.add_rule, self.edit_rule),
        ):
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.addWidget(widget, 1)
            row = QHBoxLayout()
            add_button, edit_button = QPushButton(tr._("Add…")), QPushButton(tr._("Edit…"))
            add_button.clicked.connect(add)
            edit_button.clicked.connect(edit)
            widget.itemDoubleClicked.connect(lambda _item, e=edit: e())
            row.addWidget(add_button)
            row.addWidget(edit_button)
            row.addStretch(1)
            page_layout.addLayout(row)
            self.tabs.addTab(page, title)
        layout.addWidget(self.tabs, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.statuses.setHorizontalHeaderLabels(
            [
                tr._("Key"),
                tr._("Dutch name"),
                tr._("English name"),
                tr._("Present"),
                tr._("Late"),
                tr._("Excused"),
                tr._("Reason"),
                tr._("Minutes"),
                tr._("Teacher"),
            ]
        )
        self.rules.setHorizontalHeaderLabels(
            [
                tr._("Municipality"),
                tr._("Kind"),
                tr._("Threshold"),
                tr._("Lessons"),
                tr._("Weeks"),
                tr._("At most"),
                tr._("In use"),
            ]
        )
        self.resize(860, 460)
        self.reload()

    def reload(self) -> None:
        """Read statuses and rules again."""
        tr = self.translator
        self.status_rows = svc.list_statuses(self.db, active_only=False)
        self._fill(
            self.statuses,
            [
                [
                    s.code,
                    s.label_nl,
                    s.label_en,
                    _yes(s.counts_present, tr),
                    _yes(s.counts_late, tr),
                    _yes(s.excused, tr),
                    _yes(s.needs_reason, tr),
                    _yes(s.needs_minutes, tr),
                    _yes(s.teacher_may_use, tr),
                ]
                for s in self.status_rows
            ],
        )
        self.rule_rows = svc.list_rules(self.db)
        self._fill(
            self.rules,
            [
                [
                    r.municipality or tr._("all"),
                    tr._(KIND_LABELS.get(r.kind, r.kind)),
                    tr.number(r.threshold),
                    str(r.min_lessons),
                    str(r.window_weeks),
                    str(r.max_repeats),
                    _yes(r.active, tr),
                ]
                for r in self.rule_rows
            ],
        )

    @staticmethod
    def _fill(widget: Any, rows: list[list[str]]) -> None:
        widget.setSortingEnabled(False)
        widget.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, r)
                widget.setItem(r, c, item)
        widget.resizeColumnsToContents()

    def _chosen(self, widget: Any) -> int | None:
        row = widget.currentRow()
        item = widget.item(row, 0) if row >= 0 else None
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _status_form(self, row: svc.StatusRow | None) -> None:
        values = vars(row) if row is not None else {}
        form = StatusForm(self.translator, dict(values))

        def save(v: dict[str, Any]) -> None:
            svc.save_status(
                self.db,
                id=row.id if row else None,
                code=v["code"],
                label_nl=v["label_nl"],
                label_en=v["label_en"],
                **{name: bool(v[name]) for name in FLAGS},
                actor=self.actor,
            )

        form.submit = save
        if form.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def add_status(self) -> None:
        """A new status."""
        self._status_form(None)

    def edit_status(self) -> None:
        """Change the chosen status."""
        index = self._chosen(self.statuses)
        if index is not None:
            self._status_form(self.status_rows[index])

    def _rule_form(self, row: svc.RuleRow | None) -> None:
        form = RuleForm(self.translator, dict(vars(row)) if row is not None else {})

        def save(v: dict[str, Any]) -> None:
            svc.save_rule(
                self.db,
                id=row.id if row else None,
                municipality=str(v["municipality"] or "").strip(),
                kind=v["kind"],
                threshold=float(v["threshold"]),
                min_lessons=v["min_lessons"],
                window_weeks=v["window_weeks"],
                max_repeats=v["max_repeats"],
                active=bool(v["active"]),
                actor=self.actor,
            )

        form.submit = save
        if form.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def add_rule(self) -> None:
        """A new signal rule."""
        self._rule_form(None)

    def edit_rule(self) -> None:
        """Change the chosen signal rule."""
        index = self._chosen(self.rules)
        if index is not None:
            self._rule_form(self.rule_rows[index])


def open_rules(
    parent: QWidget | None, db: Database, tr: Translator, dialogs: DialogService, actor: Actor
) -> None:
    """Show the statuses and signal rules (modal)."""
    try:
        dialog = RulesDialog(db, tr, dialogs, actor, parent)
    except UserError as exc:
        dialogs.error(tr._("Attendance statuses and signal rules"), exc.render(tr._))
        return
    dialog.exec()
