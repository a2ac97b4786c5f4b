"""Runs the retention window: periods from Settings, the plan, the confirmed run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem, QWidget

from kvds_desktop.config import Settings
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.privacy import (
    CATEGORIES,
    RetentionPeriods,
    RetentionPlan,
    apply_retention,
    plan_retention,
)
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.privacy.retention_view import CATEGORY_LABELS, RetentionDialog


class RetentionController:
    """Shows what a retention run would do, and does it after a confirmation."""

    def __init__(
        self,
        dialog: RetentionDialog,
        db: Database,
        *,
        tr: Translator,
        dialogs: DialogService,
        settings: Settings,
        save_settings: Callable[[], None],
        actor: Actor,
        today: Callable[[], date],
    ) -> None:
        self.dialog, self.db, self.tr, self.dialogs = dialog, db, tr, dialogs
        self.settings, self.save_settings = settings, save_settings
        self.actor, self.today = actor, today
        self.plan: RetentionPlan | None = None
        try:
            periods = RetentionPeriods.from_mapping(settings.retention_months)
        except UserError:
            periods = RetentionPeriods()
        for key, box in dialog.months.items():
            box.setValue(periods.months(key))
            box.valueChanged.connect(self._periods_changed)
        dialog.plan_button.clicked.connect(self.show_plan)
        dialog.apply_button.clicked.connect(self.apply)

    def periods(self) -> RetentionPeriods:
        """The periods as set in the window."""
        return RetentionPeriods(**{k: box.value() for k, box in self.dialog.months.items()})

    def _periods_changed(self) -> None:
        self.plan = None
        self.dialog.apply_button.setEnabled(False)
        self.settings.retention_months = asdict(self.periods())
        self.save_settings()

    def show_plan(self) -> None:
        """List what is due on today's date with these periods."""
        tr = self.tr
        try:
            plan = plan_retention(self.db, self.periods(), today=self.today())
        except UserError as exc:
            self.dialogs.error(tr._("Retention"), exc.render(tr._))
            return
        self.plan = plan
        table = self.dialog.items
        table.setSortingEnabled(False)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setRowCount(len(plan.items))
        for row, item in enumerate(plan.items):
            cells = [tr._(CATEGORY_LABELS[item.category]), item.name,
                     tr.date(item.ended_on, "short"), tr.date(item.due_on, "short"),
                     str(item.rows)]  # fmt: skip
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.setSortingEnabled(True)
        table.resizeColumnsToContents()
        parts = [f"{tr._(CATEGORY_LABELS[c])}: {plan.count(c)}" for c in CATEGORIES]
        if plan.items:
            self.dialog.summary.setText(tr._("Due now, candidates per kind of data: ")
                                        + "; ".join(parts))  # fmt: skip
        else:
            self.dialog.summary.setText(tr._("Nothing is due: every kept record is within "
                                             "its period."))  # fmt: skip
        self.dialog.apply_button.setEnabled(bool(plan.items))

    def apply(self) -> None:
        """Carry out the plan shown, after a confirmation."""
        tr, plan = self.tr, self.plan
        if plan is None or not plan.items:
            return
        people = len({i.candidate_uid for i in plan.items})
        sure = self.dialogs.confirm(
            tr._("Retention"),
            tr.ngettext("The data listed for {n} candidate is deleted or anonymised now. This "
                        "cannot be undone. Go on?",
                        "The data listed for {n} candidates is deleted or anonymised now. This "
                        "cannot be undone. Go on?", people).format(n=people),
        )  # fmt: skip
        if not sure:
            return
        try:
            apply_retention(self.db, plan, self.actor, today=self.today())
        except UserError as exc:
            self.dialogs.error(tr._("Retention"), exc.render(tr._))
            return
        self.dialogs.info(tr._("Retention"), tr._("Done. The run is recorded in the audit "
                                                 "trail."))  # fmt: skip
        self.show_plan()


def open_retention(
    parent: QWidget,
    db: Database,
    runner: Callable[[RetentionDialog], int] | None = None,
    **parts: object,
) -> RetentionController:
    """Show the retention window (modal); ``parts`` are the controller's keyword arguments."""
    tr = parts["tr"]
    assert isinstance(tr, Translator)
    dialog = RetentionDialog(tr, parent)
    controller = RetentionController(dialog, db, **parts)  # type: ignore[arg-type]
    (runner or (lambda d: d.exec()))(dialog)
    return controller
