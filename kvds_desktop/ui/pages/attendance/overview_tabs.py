"""The Figures and Signals tabs of the Aanwezigheid page: layout and what they do.

Figures: a group's attendance over a period per member (rate, hours offered and followed,
excused and unexcused hours, late count), and the attendance exports. Signals: who
crosses a rule of their municipality and why, per klantmanager, marked as sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvds_desktop.errors import UserError
from kvds_desktop.exchange.attendance_export import (
    export_attendance_detail,
    export_attendance_summary,
)
from kvds_desktop.i18n import Translator
from kvds_desktop.services import attendance as svc
from kvds_desktop.services.audit import Actor, record_export
from kvds_desktop.services.scheduling import group_rows
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.forms import DateField, parse_date
from kvds_desktop.ui.widgets import refill_combo, table


class FiguresTab(QWidget):
    """A group, a period, one row of figures per member; exports of the period."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.group = QComboBox()
        self.group.setMinimumContentsLength(14)
        self.start = DateField()
        self.end = DateField()
        self.show_button = QPushButton()
        self.export_detail = QPushButton()
        self.export_summary = QPushButton()
        self.labels = [QLabel(), QLabel(), QLabel()]
        for widget in (
            self.labels[0],
            self.group,
            self.labels[1],
            self.start,
            self.labels[2],
            self.end,
            self.show_button,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.export_detail)
        row.addWidget(self.export_summary)
        layout.addLayout(row)
        self.table = table(12, "figuresTable")
        layout.addWidget(self.table, 1)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        for label, text in zip(
            self.labels, (tr._("Group"), tr._("From"), tr._("Until")), strict=True
        ):
            label.setText(text)
        self.show_button.setText(tr._("Show"))
        self.export_detail.setText(tr._("Export per lesson…"))
        self.export_summary.setText(tr._("Export per candidate…"))
        self.table.setHorizontalHeaderLabels(
            [
                tr._("Name"),
                tr._("Lessons"),
                tr._("Attendance"),
                tr._("Hours offered"),
                tr._("Hours followed"),
                tr._("Excused (h)"),
                tr._("Unexcused (h)"),
                tr._("Late"),
                tr._("Online (h)"),
                tr._("Not marked"),
            ]
        )


class SignalsTab(QWidget):
    """Who crosses which rule and why; mark as sent; reports per klantmanager."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.table = table(6, "signalsTable")
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.mark_sent = QPushButton()
        self.reports = QPushButton()
        row.addWidget(self.mark_sent)
        row.addWidget(self.reports)
        row.addStretch(1)
        layout.addLayout(row)

    def retranslate_ui(self, tr: Translator) -> None:
        """Set every text in the language of ``tr``."""
        self.hint.setText(
            tr._(
                "Absence signals for the klantmanager, by the rules of each municipality. Each "
                "says which rule fired and why."
            )
        )
        self.mark_sent.setText(tr._("Mark as sent"))
        self.reports.setText(tr._("Reports per klantmanager…"))
        self.table.setHorizontalHeaderLabels(
            [
                tr._("Name"),
                tr._("Municipality"),
                tr._("Klantmanager"),
                tr._("Why"),
                tr._("Period"),
                tr._("Sent on"),
            ]
        )


class OverviewTabsController:
    """Fills and drives the Figures and Signals tabs."""

    def __init__(
        self,
        figures: FiguresTab,
        signals: SignalsTab,
        *,
        dialogs: DialogService,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
    ) -> None:
        self.figures, self.signals = figures, signals
        self.dialogs, self.today, self.actor, self.status = dialogs, today, actor, status
        self.db: Database | None = None
        self.tr = Translator()
        self.rows: list[svc.SignalRow] = []
        figures.show_button.clicked.connect(self.show_figures)
        figures.export_detail.clicked.connect(lambda: self.export(summary=False))
        figures.export_summary.clicked.connect(lambda: self.export(summary=True))
        signals.mark_sent.clicked.connect(self.mark_sent)
        signals.reports.clicked.connect(self.write_reports)

    def set_translator(self, tr: Translator) -> None:
        """Switch both tabs to another language."""
        self.tr = tr
        self.figures.retranslate_ui(tr)
        self.signals.retranslate_ui(tr)
        self.reload()

    def set_database(self, db: Database | None) -> None:
        """Work on ``db``."""
        self.db = db
        today = self.today()
        self.figures.start.setText(f"{today.replace(day=1):%d-%m-%Y}")
        self.figures.end.setText(f"{today:%d-%m-%Y}")
        self.reload()

    def reload(self) -> None:
        """Read the groups and the signals again."""
        groups = group_rows(self.db, self.today()) if self.db is not None else []
        refill_combo(
            self.figures.group, [(g.uid, g.name) for g in groups], self.figures.group.currentData()
        )
        self.show_figures()
        self.show_signals()

    def _period(self) -> tuple[date, date] | None:
        try:
            start = parse_date(self.figures.start.text())
            end = parse_date(self.figures.end.text())
        except ValueError:
            start = end = None
        if start is None or end is None or end < start:
            self.status(self.tr._("Give a period: from and until, as dd-mm-jjjj."))
            return None
        return start, end

    def show_figures(self) -> None:
        """The chosen group's figures over the period."""
        uid = self.figures.group.currentData()
        period = self._period()
        found = []
        if self.db is not None and uid and period:
            found = svc.figures_for_group(self.db, uid, *period)
        tr = self.tr
        rows = [
            [
                f.name,
                str(f.lessons),
                tr.percent(f.rate) if f.marked else "",
                tr.number(round(f.hours_offered, 1)),
                tr.number(round(f.hours_followed, 1)),
                tr.number(round(f.hours_excused, 1)),
                tr.number(round(f.hours_unexcused, 1)),
                str(f.late_count),
                tr.number(round(f.online_hours_followed, 1)),
                str(f.unmarked),
            ]
            for f in found
        ]
        self._fill(self.figures.table, rows)

    def show_signals(self) -> None:
        """Who crosses a rule today."""
        self.rows = svc.find_signals(self.db, self.today()) if self.db is not None else []
        tr = self.tr
        self._fill(
            self.signals.table,
            [
                [
                    s.name,
                    s.municipality,
                    s.klantmanager,
                    tr._(s.message_id).format(**s.params),
                    s.period_key,
                    tr.date(s.sent_on, "short") if s.sent_on else "",
                ]
                for s in self.rows
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
        widget.setSortingEnabled(True)
        widget.resizeColumnsToContents()

    def mark_sent(self) -> None:
        """Record that the chosen signal went to the klantmanager today."""
        row = self.signals.table.currentRow()
        item = self.signals.table.item(row, 0) if row >= 0 else None
        if item is None or self.db is None:
            self.dialogs.info(self.tr._("Signals"), self.tr._("Choose a signal first."))
            return
        signal = self.rows[int(item.data(Qt.ItemDataRole.UserRole))]
        svc.mark_signal_sent(
            self.db,
            candidate_uid=signal.candidate_uid,
            rule_uid=signal.rule_uid,
            period_key=signal.period_key,
            on=self.today(),
            actor=self.actor,
        )
        self.show_signals()

    def write_reports(self) -> None:
        """One signals report per klantmanager, in a chosen folder."""
        if self.db is None:
            return
        target = self.dialogs.save_file(
            "signals",
            self.tr._("Reports per klantmanager"),
            "CSV (*.csv)",
            Path.home(),
            "signalen.csv",
        )
        if target is None:
            return
        try:
            written = svc.export_signals_per_klantmanager(
                self.db, target.parent, at=self.today(), gettext=self.tr._
            )
            record_export(self.db, self.actor, "signals", str(target.parent), count=len(written),
                          recipient="klantmanagers")  # fmt: skip
        except UserError as exc:
            self.dialogs.error(self.tr._("The reports could not be written"), exc.render(self.tr._))
            return
        self.status(self.tr._("Reports written: {count}.").format(count=len(written)))

    def export(self, *, summary: bool) -> None:
        """Write the attendance of the period per lesson or per candidate (CSV or Excel)."""
        period = self._period()
        if self.db is None or period is None:
            return
        name = "aanwezigheid-per-kandidaat" if summary else "aanwezigheid-per-les"
        out = self.dialogs.save_file(
            "export",
            self.tr._("Export attendance"),
            "CSV (*.csv);;Excel (*.xlsx)",
            Path.home(),
            f"{name}-{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.csv",
        )
        if out is None:
            return
        write = export_attendance_summary if summary else export_attendance_detail
        try:
            rows = write(self.db, out, start=period[0], end=period[1])
            record_export(self.db, self.actor, "attendance", str(out), count=rows)
        except UserError as exc:
            self.dialogs.error(self.tr._("The export could not be written"), exc.render(self.tr._))
            return
        self.status(
            self.tr._("{rows} attendance rows exported to {path}.").format(rows=rows, path=out)
        )
