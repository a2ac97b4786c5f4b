"""What the Overzichten page does: the dashboard, its click-through lists, and the files.

Every figure is a button; pressing it lists the candidates the figure counts, so each
number can be checked against names. The management report opens in the print
preview; the digests and the DUO file are written into a chosen folder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton, QSizePolicy, QTableWidgetItem

from kvds_desktop.domain import labels
from kvds_desktop.domain.dates import parse_date
from kvds_desktop.domain.enums import Law, Route
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services.audit import Actor, record_export
from kvds_desktop.services.digest import write_digests
from kvds_desktop.services.duo import duo_contract_rows, export_duo
from kvds_desktop.services.kpi import Figure, KpiSet, compute_kpis
from kvds_desktop.services.lookups import candidate_list, location_choices, municipalities
from kvds_desktop.services.printouts.management import management_report
from kvds_desktop.services.work.outflow import list_outflow
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.forms import date_text
from kvds_desktop.ui.pages.reports.chart import LineData
from kvds_desktop.ui.pages.reports.view import ReportsPage
from kvds_desktop.ui.printing import PrintService
from kvds_desktop.ui.tasks import Task, TaskRunner
from kvds_desktop.ui.widgets import refill_combo

COLUMNS = 2


def figure_text(tr: Translator, figure: Figure) -> str:
    """A figure's value as the dashboard shows it."""
    if figure.unit in ("share", "rate"):
        return f"{tr.percent(figure.value)} ({tr.number(figure.count)})"
    if figure.unit == "count":
        return tr.number(figure.count)
    if figure.unit == "days":
        return tr._("{n} days").format(n=tr.number(round(figure.value)))
    if figure.unit == "hours":
        return tr._("{n} hours").format(n=tr.number(round(figure.value)))
    return tr.number(round(figure.value, 1))


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


class ReportsController:
    """Drives the Overzichten page."""

    def __init__(
        self,
        page: ReportsPage,
        *,
        tr: Translator,
        dialogs: DialogService,
        runner: TaskRunner,
        printer: PrintService,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
    ) -> None:
        self.page = page
        self.tr = tr
        self.dialogs = dialogs
        self.runner = runner
        self.printer = printer
        self.today = today
        self.actor = actor
        self.status = status
        self.db: Database | None = None
        self.kpis: KpiSet | None = None
        self.buttons: list[QPushButton] = []
        self.task: Task | None = None
        self._again = False
        self._token = 0
        page.refresh.clicked.connect(self.refresh)
        page.shown.connect(self._first_look)
        page.report.clicked.connect(self.print_report)
        page.digests.clicked.connect(self.write_digests)
        page.duo.clicked.connect(self.write_duo)
        page.at.setText(date_text(today()))
        page.start.setText(date_text(today().replace(month=1, day=1)))
        page.end.setText(date_text(today()))
        self.set_translator(tr)

    def _first_look(self) -> None:
        if self.kpis is None:
            self.refresh()

    def set_translator(self, tr: Translator) -> None:
        """Switch the page to another language."""
        self.tr = tr
        self.page.retranslate_ui(tr)
        self._fill_choices()
        self._show()

    def set_database(self, db: Database | None) -> None:
        """Show the figures of ``db``."""
        self.db = db
        self.kpis = None
        self._token += 1  # results of work started on the previous database are dropped
        self._fill_choices()
        self._show()
        if self.page.isVisible():
            self.refresh()

    def _fill_choices(self) -> None:
        p, tr = self.page, self.tr
        every = tr._("all")
        places = municipalities(self.db) if self.db is not None else []
        refill_combo(p.municipality, [(None, tr._("All municipalities"))]
                     + [(m, m) for m in places], p.municipality.currentData())  # fmt: skip
        spots = location_choices(self.db) if self.db is not None else []
        refill_combo(p.location, [(None, tr._("All locations"))]
                     + [(n, n) for _i, n in spots], p.location.currentData())  # fmt: skip
        refill_combo(p.law, [(None, tr._("Law: {law}").format(law=every))]
                     + [(m.value, tr._(labels.label(labels.LAW, m.value))) for m in Law],
                     p.law.currentData())  # fmt: skip
        refill_combo(p.route, [(None, tr._("Route: {route}").format(route=every))]
                     + [(m.value, tr._(labels.label(labels.ROUTE, m.value))) for m in Route],
                     p.route.currentData())  # fmt: skip

    def _dates(self) -> tuple[date, date, date] | None:
        p = self.page
        try:
            at, start, end = (parse_date(f.text()) for f in (p.at, p.start, p.end))
        except ValueError:
            at = start = end = None
        if at is None or start is None or end is None:
            self.dialogs.error(self.tr._("Reports"), self.tr._("Give the dates as dd-mm-jjjj."))
            return None
        return at, start, end

    def refresh(self) -> None:
        """Compute the figures for the chosen date, period and filters (in the background)."""
        db, p = self.db, self.page
        if db is None:
            self.kpis = None
            self._show()
            return
        dates = self._dates()
        if dates is None:
            return
        if self.task is not None and self.task.is_running():
            self._again = True  # computed again with the new choices once this one is done
            return
        at, start, end = dates
        scope = {"municipality": p.municipality.currentData(), "location": p.location.currentData(),
                 "law": p.law.currentData(), "route": p.route.currentData()}  # fmt: skip
        task = self.runner.submit(
            lambda _report, _cancelled: compute_kpis(db, at=at, start=start, end=end, **scope)
        )
        token = self._token
        task.succeeded.connect(lambda kpis: self._computed(kpis, token))
        task.failed.connect(self._failed)
        task.done.connect(self._after)
        self._again = False
        self.task = task
        task.start()

    def _after(self) -> None:
        if self._again and self.db is not None:
            self._again = False
            self.refresh()

    def _computed(self, kpis: object, token: int) -> None:
        if token != self._token or self.db is None:
            return
        assert isinstance(kpis, KpiSet)
        self.kpis = kpis
        self._show()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.dialogs.error(self.tr._("Reports"), exc.render(self.tr._))
        else:
            raise exc

    def _show(self) -> None:
        p, tr = self.page, self.tr
        for button in self.buttons:
            p.figures.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        kpis = self.kpis
        if kpis is None:
            p.note.setText("")
            return
        for index, figure in enumerate(kpis.figures):
            label = tr._(figure.label_id).format(**dict(figure.params))
            button = QPushButton(f"{figure_text(tr, figure)}   {label}")  # the number first
            button.setObjectName(f"kpi_{figure.key}")
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 2px 6px;")
            button.setToolTip(f"{label}: {figure_text(tr, figure)}")
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, f=figure, t=label: self.show_list(f, t))
            p.figures.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.buttons.append(button)
        lines = []
        for group in kpis.per_municipality:
            started = group.figure("candidates_started").count
            out = group.figure("outflow_total").count
            lines.append(tr._("{name}: {started} started, {out} flowed out").format(
                name=group.name, started=started, out=out))  # fmt: skip
        p.note.setText("   ".join(lines))
        p.chart.set_data(self._outflow_chart(kpis))

    def _outflow_chart(self, kpis: KpiSet) -> LineData:
        """Outflow over the period per municipality, added up month by month."""
        tr = self.tr
        end = min(kpis.end, kpis.reference)
        rows = list_outflow(self.db, start=kpis.start, end=end) if self.db is not None else []
        wanted = kpis.scope.municipality
        months: list[date] = []
        day = kpis.start.replace(day=1)
        while day <= end:
            months.append(day)
            day = _next_month(day)
        names = sorted({r.municipality for r in rows if not wanted or r.municipality == wanted})
        series = {}
        for name in names:
            dates = sorted(r.day for r in rows if r.municipality == name)
            series[name] = [
                float(
                    sum(
                        1
                        for d in dates
                        if d < (m.replace(day=28) + timedelta(days=4)).replace(day=1)
                    )
                )
                for m in months
            ]
        return LineData(
            title=tr._("Outflow since {start}, added up per month").format(
                start=tr.date(kpis.start, "short")),
            labels=[tr.date(m, "MMM yy") for m in months],
            series=series,
            empty_text=tr._("No outflow in this period."),
        )  # fmt: skip

    def show_list(self, figure: Figure, label: str) -> None:
        """The candidates behind ``figure``."""
        rows = candidate_list(self.db, list(figure.candidate_uids)) if self.db else []
        p = self.page
        p.list_title.setText(f"{label}: {len(rows)}")
        p.people.setSortingEnabled(False)
        p.people.setRowCount(len(rows))
        for r, (_uid, name, number, municipality, status) in enumerate(rows):
            values = [name, number, municipality,
                      self.tr._(labels.label(labels.STATUS, status))]  # fmt: skip
            for c, value in enumerate(values):
                p.people.setItem(r, c, QTableWidgetItem(value))
        p.people.setSortingEnabled(True)
        p.people.resizeColumnsToContents()

    # -- files ---------------------------------------------------------------------------
    def print_report(self) -> None:
        """The management report of the chosen period, in the print preview."""
        dates = self._dates()
        if self.db is None or dates is None:
            return
        _at, start, end = dates
        try:
            pdf = management_report(self.db, start=start, end=end, today=self.today(),
                                    tr=self.tr)  # fmt: skip
        except UserError as exc:
            self.dialogs.error(self.tr._("The report cannot be made"), exc.render(self.tr._))
            return
        self.printer.preview(pdf, self.tr._("Management report"))

    def write_digests(self) -> None:
        """One file per klantmanager for the chosen period, into a chosen folder."""
        dates = self._dates()
        if self.db is None or dates is None:
            return
        tr = self.tr
        kinds = [tr._("PDF, to print or send"), tr._("Excel workbook (xlsx)"), tr._("CSV")]
        choice = self.dialogs.choose(tr._("Digests for klantmanagers"), tr._("File type:"), kinds)
        if choice is None:
            return
        folder = self.dialogs.folder("digests", tr._("Folder for the digests"), Path.home())
        if folder is None:
            return
        _at, start, end = dates
        try:
            paths = write_digests(
                self.db, start=start, end=end, out_dir=folder, language=tr.language,
                fmt=("pdf", "xlsx", "csv")[choice], today=self.today(),
            )  # fmt: skip
            record_export(self.db, self.actor, "digest", str(folder), count=len(paths),
                          recipient="klantmanagers")  # fmt: skip
        except UserError as exc:
            self.dialogs.error(self.tr._("The digests cannot be written"), exc.render(self.tr._))
            return
        self.dialogs.info(
            self.tr._("Digests for klantmanagers"),
            self.tr.ngettext("{n} file written to {folder}.", "{n} files written to {folder}.",
                             len(paths)).format(n=len(paths), folder=folder),
        )  # fmt: skip

    def write_duo(self) -> None:
        """The DUO monthly contract file of a month, into a chosen folder."""
        if self.db is None:
            return
        tr = self.tr
        month_text = self.dialogs.text(tr._("DUO file"), tr._("Month (jjjj-mm):"))
        if not month_text:
            return
        bow = self.dialogs.text(tr._("DUO file"), tr._("BOW number of the learning location:"))
        if not bow:
            return
        folder = self.dialogs.folder("duo", tr._("Folder for the DUO file"), Path.home())
        if folder is None:
            return
        try:
            year, month = (int(part) for part in month_text.strip().split("-"))
            rows = duo_contract_rows(self.db, month=(year, month), today=self.today())
            result: Any = export_duo(
                self.db, rows=rows, month=(year, month), bow=bow, out_dir=folder,
                today=self.today(), actor=self.actor, now=datetime.now(UTC),
            )  # fmt: skip
        except ValueError:
            self.dialogs.error(tr._("DUO file"), tr._("Give the month as jjjj-mm, e.g. 2026-11."))
            return
        except UserError as exc:
            self.dialogs.error(tr._("DUO file"), exc.render(tr._))
            return
        text = tr._("DUO file written to {path}: {rows} rows.").format(
            path=result.path, rows=result.written)  # fmt: skip
        if result.problems:
            text += "\n" + "\n".join(
                f"{r.name} ({r.klantnummer}): {tr._(r.problem)}" for r in result.problems
            )
        self.dialogs.info(tr._("DUO file"), text)
