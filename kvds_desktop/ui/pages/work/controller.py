"""The Placements, Outflow and Organisations tabs of the Werk & uitstroom page.

Placements move through their stages (each step dated and logged); the placements that
fall on a day with lessons are listed under them. Outflow is registered with its
follow-up checks, and the checks that are due are listed as reminders. Organisations
keep their opportunities and a contact log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit, QTableWidget, QTableWidgetItem, QWidget

from kvds_desktop.domain import labels
from kvds_desktop.domain.enums import BenefitAfterOutflow, OutflowKind
from kvds_desktop.errors import N_, UserError
from kvds_desktop.exchange.outflow_export import export_outflow
from kvds_desktop.i18n import Translator
from kvds_desktop.services.audit import Actor, record_export
from kvds_desktop.services.lookups import work_candidate_choices
from kvds_desktop.services.work import organisations as orgs
from kvds_desktop.services.work import outflow, placements
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.forms import DateField, FormDialog, choice_box
from kvds_desktop.ui.pages.work.view import WorkPage

EXPORT_FILTER = "Excel (*.xlsx);;CSV (*.csv);;*"


def fill(table: QTableWidget, rows: list[list[str]], keys: list[str] | None = None) -> None:
    """Fill ``table``; ``keys`` go with the first cell of each row, to survive sorting."""
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            table.setItem(r, c, item)
    table.setSortingEnabled(True)
    table.resizeColumnsToContents()


def selected_key(table: QTableWidget) -> Any:
    """The key of the selected row (None: nothing selected)."""
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class WorkController:
    """Drives the Placements, Outflow and Organisations tabs."""

    def __init__(
        self,
        page: WorkPage,
        *,
        tr: Translator,
        dialogs: DialogService,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.page = page
        self.tr = tr
        self.dialogs = dialogs
        self.today = today
        self.actor = actor
        self.status = status
        self.now = now
        self.db: Database | None = None
        p = page
        p.next_stage.clicked.connect(self.next_stage)
        p.end_placement.clicked.connect(self.end_placement)
        p.show_outflow.clicked.connect(self.reload)
        p.register_outflow.clicked.connect(self.register_outflow)
        p.export_outflow.clicked.connect(self.export_outflow)
        p.record_follow_up.clicked.connect(self.record_follow_up)
        p.organisations.itemSelectionChanged.connect(self._organisation_chosen)
        p.add_organisation.clicked.connect(self.add_organisation)
        p.add_opportunity.clicked.connect(self.add_opportunity)
        p.log_contact.clicked.connect(self.log_contact)
        start = today().replace(month=1, day=1)
        p.period_from.setText(start.strftime("%d-%m-%Y"))
        p.period_to.setText(today().strftime("%d-%m-%Y"))
        self.set_translator(tr)

    def set_translator(self, tr: Translator) -> None:
        """Switch to another language."""
        self.tr = tr
        self.page.retranslate_ui(tr)
        self.reload()

    def set_database(self, db: Database | None) -> None:
        """Show ``db``."""
        self.db = db
        self.reload()

    def reload(self) -> None:
        """Read placements, clashes, outflow, reminders and organisations again."""
        self._placements()
        self._outflow()
        self._organisations()

    # -- placements ----------------------------------------------------------------------
    def _days(self, days: tuple[int, ...]) -> str:
        return " ".join(self.tr._(labels.WEEKDAYS_SHORT[d]) for d in days)

    def _placements(self) -> None:
        tr, today = self.tr, self.today()
        rows = placements.list_placements(self.db, today=today) if self.db else []
        fill(
            self.page.placements,
            [
                [r.candidate_name, r.organisation, tr._(labels.label(orgs.OPPORTUNITY_KINDS,
                 r.kind)), tr._(placements.STAGE_LABELS.get(r.stage, r.stage)),
                 self._days(r.days), r.start_date.isoformat(),
                 r.end_date.isoformat() if r.end_date else ""]
                for r in rows
            ],
            [r.uid for r in rows],
        )  # fmt: skip
        clashes = placements.placement_clashes(self.db, today=today) if self.db else []
        self.show_clashes(clashes)

    def show_clashes(self, clashes: list[placements.ClashRow]) -> None:
        """List the placements that fall on a day with lessons."""
        tr = self.tr
        fill(
            self.page.clashes,
            [
                [c.candidate_name, c.organisation, tr.date(c.lesson_date, "EEE d MMM"),
                 c.group_name, f"{c.start:%H:%M}–{c.end:%H:%M}"]
                for c in clashes
            ],
            [c.placement_uid for c in clashes],
        )  # fmt: skip
        self.page.clash_title.setText(
            tr._("Placements on a day with lessons (coming eight weeks): {n}").format(
                n=len(clashes)
            )
        )

    def clashes_after_change(self, group_uid: str | None) -> None:
        """After a timetable change: tell at once which placements now clash with lessons."""
        if self.db is None:
            return
        clashes = placements.placement_clashes(self.db, today=self.today(), group_uid=group_uid)
        self.show_clashes(placements.placement_clashes(self.db, today=self.today()))
        if not clashes:
            return
        lines = [
            f"{c.candidate_name} ({c.organisation}): {self.tr.date(c.lesson_date, 'EEE d MMM')} "
            f"{c.start:%H:%M} {c.group_name}"
            for c in clashes[:15]
        ]
        self.dialogs.info(
            self.tr._("Placements on a day with lessons"),
            self.tr._("After this change these placements fall on a day with lessons:")
            + "\n"
            + "\n".join(lines),
        )

    def next_stage(self) -> None:
        """Move the selected placement to a chosen stage (dated today, logged)."""
        uid = selected_key(self.page.placements)
        if self.db is None or uid is None:
            return
        names = [self.tr._(placements.STAGE_LABELS[s]) for s in placements.STAGES]
        choice = self.dialogs.choose(self.tr._("Next stage"), self.tr._("Stage"), names)
        if choice is None:
            return
        try:
            placements.set_stage(
                self.db, uid, stage=placements.STAGES[choice], day=self.today(), note="",
                actor=self.actor, now=self.now(),
            )  # fmt: skip
        except UserError as exc:
            self.dialogs.error(self.tr._("The stage cannot be changed"), exc.render(self.tr._))
            return
        self.reload()

    def end_placement(self) -> None:
        """End the selected placement today, with a reason."""
        uid = selected_key(self.page.placements)
        if self.db is None or uid is None:
            return
        reason = self.dialogs.text(self.tr._("End the placement"), self.tr._("Why does it end?"))
        if reason is None:
            return
        try:
            placements.end_placement(
                self.db, uid, end_date=self.today(), note=reason, actor=self.actor,
                now=self.now(),
            )  # fmt: skip
        except UserError as exc:
            self.dialogs.error(self.tr._("The placement cannot be ended"), exc.render(self.tr._))
            return
        self.reload()

    # -- outflow -------------------------------------------------------------------------
    def _period(self) -> tuple[date | None, date | None]:
        from kvds_desktop.domain.dates import parse_date

        try:
            return parse_date(self.page.period_from.text()), parse_date(self.page.period_to.text())
        except ValueError:
            return None, None

    def _outflow(self) -> None:
        tr = self.tr
        start, end = self._period()
        rows = outflow.list_outflow(self.db, start=start, end=end) if self.db else []

        def check(row: Any, month: int) -> str:
            found = [f for f in row.follow_ups if f.month == month]
            if not found or found[0].still_out is None:
                return "–"
            return tr._("still out") if found[0].still_out else tr._("back")

        fill(
            self.page.outflow,
            [
                [r.candidate_name, r.day.isoformat(),
                 tr._(labels.label(labels.OUTFLOW_KIND, r.kind)),
                 r.employer, tr._(labels.label(labels.BENEFIT, r.benefit_after)), check(r, 6),
                 check(r, 12)]
                for r in rows
            ],
            [r.uid for r in rows],
        )  # fmt: skip
        self.page.outflow_summary.setText(
            tr.ngettext("{n} candidate flowed out in this period.",
                        "{n} candidates flowed out in this period.", len(rows)).format(n=len(rows))
        )  # fmt: skip
        due = outflow.due_follow_ups(self.db, today=self.today()) if self.db else []
        fill(
            self.page.due,
            [
                [f.candidate_name, f.outflow_date.isoformat(), str(f.month),
                 f.due_date.isoformat(), tr._(labels.label(labels.OUTFLOW_KIND, f.kind))]
                for f in due
            ],
            [f.uid for f in due],
        )  # fmt: skip
        self.page.due_title.setText(tr._("Follow-ups due: {n}").format(n=len(due)))

    def register_outflow(self) -> None:
        """Register a candidate's outflow; the follow-ups are planned with it."""
        if self.db is None:
            return
        db, tr = self.db, self.tr
        dialog = FormDialog(tr._("Register outflow"), tr, self.page.window())
        body = QWidget()
        form = QFormLayout(body)
        people = work_candidate_choices(db)
        dialog.add(form, "candidate", tr._("Candidate"), choice_box(people, None, tr))
        kinds = [(k.value, labels.OUTFLOW_KIND[k.value]) for k in OutflowKind]
        dialog.add(form, "kind", tr._("Kind"), choice_box(kinds, OutflowKind.BETAALD_WERK, tr))
        dialog.add(form, "day", tr._("Date"), DateField(self.today()))
        dialog.add(form, "employer", tr._("Employer"), QLineEdit())
        dialog.add(form, "function", tr._("Function"), QLineEdit())
        benefits = [(b.value, labels.BENEFIT[b.value]) for b in BenefitAfterOutflow]
        dialog.add(form, "benefit", tr._("Benefit after"),
                   choice_box(benefits, BenefitAfterOutflow.NONE.value, tr))  # fmt: skip

        def submit(values: dict[str, Any]) -> None:
            if values["day"] is None or not values["candidate"]:
                raise UserError(N_("Choose a candidate and give the date."))
            outflow.register_outflow(
                db, candidate_uid=values["candidate"], kind=values["kind"], day=values["day"],
                employer=values["employer"], function=values["function"], hours_per_week=None,
                contract="", benefit_after=values["benefit"], note="", actor=self.actor,
                now=self.now(), today=self.today(),
            )  # fmt: skip

        dialog.submit = submit
        dialog.finish_layout(body)
        if dialog.exec():
            self.status(tr._("The outflow was registered; follow-ups are planned."))
            self.reload()

    def record_follow_up(self) -> None:
        """Record the selected follow-up: still out or back, checked today."""
        uid = selected_key(self.page.due)
        if self.db is None or uid is None:
            return
        tr = self.tr
        answers = [tr._("Still working or studying, no benefit"),
                   tr._("Still working, partly on benefit"),
                   tr._("Back on benefit")]  # fmt: skip
        choice = self.dialogs.choose(tr._("Follow-up"), tr._("How is it going?"), answers)
        if choice is None:
            return
        benefit = ("geen", "gedeeltelijk", "volledig")[choice]
        try:
            outflow.record_follow_up(
                self.db, uid, checked_on=self.today(), still_out=choice < 2, benefit=benefit,
                note="", actor=self.actor, now=self.now(),
            )  # fmt: skip
        except UserError as exc:
            self.dialogs.error(tr._("The follow-up cannot be saved"), exc.render(tr._))
            return
        self.reload()

    def export_outflow(self) -> None:
        """The outflow of the period, with its follow-ups, as CSV or Excel."""
        if self.db is None:
            return
        start, end = self._period()
        path = self.dialogs.save_file(
            "exports", self.tr._("Export outflow"), EXPORT_FILTER, Path.home(),
            f"uitstroom-{self.today():%Y%m%d}.xlsx",
        )  # fmt: skip
        if path is None:
            return
        try:
            rows = outflow.list_outflow(self.db, start=start, end=end)
            count = export_outflow(rows, path, language=self.tr.language)
            record_export(self.db, self.actor, "outflow", str(path), count=count)
        except UserError as exc:
            self.dialogs.error(self.tr._("The export failed"), exc.render(self.tr._))
            return
        self.status(self.tr._("{count} rows written to {path}.").format(count=count, path=path))

    # -- organisations -------------------------------------------------------------------
    def _organisations(self) -> None:
        tr = self.tr
        rows = orgs.list_organisations(self.db) if self.db else []
        keep = selected_key(self.page.organisations)
        fill(
            self.page.organisations,
            [[r.name, tr._(labels.label(orgs.ORGANISATION_KINDS, r.kind)), r.sector, r.city]
             for r in rows],
            [r.uid for r in rows],
        )  # fmt: skip
        for row in range(self.page.organisations.rowCount()):
            item = self.page.organisations.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == keep:
                self.page.organisations.selectRow(row)
        self._organisation_chosen()

    def _organisation_chosen(self) -> None:
        tr = self.tr
        uid = selected_key(self.page.organisations)
        found = (
            orgs.list_opportunities(self.db, today=self.today(), organisation_uid=uid)
            if self.db is not None and uid
            else []
        )
        fill(
            self.page.opportunities,
            [
                [o.title, tr._(labels.label(orgs.OPPORTUNITY_KINDS, o.kind)), self._days(o.days),
                 str(o.hours_per_week or ""), o.required_level.upper() if o.required_level
                 else "", str(o.places)]
                for o in found
            ],
            [o.uid for o in found],
        )  # fmt: skip
        contacts = orgs.list_contacts(self.db, uid) if self.db is not None and uid else []
        fill(
            self.page.contacts,
            [[c.day.isoformat(), c.by, c.with_whom, c.subject] for c in contacts],
            [c.uid for c in contacts],
        )

    def add_organisation(self) -> None:
        """A new employer, volunteer organisation or Werkbedrijf."""
        if self.db is None:
            return
        db, tr = self.db, self.tr
        dialog = FormDialog(tr._("Add organisation"), tr, self.page.window())
        body = QWidget()
        form = QFormLayout(body)
        dialog.add(form, "name", tr._("Name"), QLineEdit())
        kinds = list(orgs.ORGANISATION_KINDS.items())
        dialog.add(form, "kind", tr._("Kind"), choice_box(kinds, kinds[0][0], tr))
        dialog.add(form, "sector", tr._("Sector"), QLineEdit())
        dialog.add(form, "city", tr._("Place"), QLineEdit())
        dialog.add(form, "contact_name", tr._("Contact"), QLineEdit())
        dialog.add(form, "contact_email", tr._("E-mail"), QLineEdit())

        def submit(values: dict[str, Any]) -> None:
            orgs.save_organisation(db, values, actor=self.actor, now=self.now())

        dialog.submit = submit
        dialog.finish_layout(body)
        if dialog.exec():
            self.reload()

    def add_opportunity(self) -> None:
        """A new opportunity at the selected organisation."""
        uid = selected_key(self.page.organisations)
        if self.db is None or uid is None:
            self.status(self.tr._("Choose an organisation first."))
            return
        db, tr = self.db, self.tr
        dialog = FormDialog(tr._("Add opportunity"), tr, self.page.window())
        body = QWidget()
        form = QFormLayout(body)
        dialog.add(form, "title", tr._("Title"), QLineEdit())
        kinds = list(orgs.OPPORTUNITY_KINDS.items())
        dialog.add(form, "kind", tr._("Kind"), choice_box(kinds, kinds[0][0], tr))
        days = QLineEdit()
        days.setPlaceholderText("2,4")
        dialog.add(form, "days", tr._("Days (1 = Monday … 5 = Friday)"), days)
        dialog.add(form, "hours_per_week", tr._("Hours a week"), QLineEdit())
        levels = QLineEdit()
        levels.setPlaceholderText("spreken=a2, lezen=a1")
        dialog.add(form, "skill_levels", tr._("Minimum level per skill"), levels)
        dialog.add(form, "places", tr._("Places"), QLineEdit("1"))

        def submit(values: dict[str, Any]) -> None:
            clean = {k: v for k, v in values.items() if v not in ("", None)}
            orgs.save_opportunity(
                db, {**clean, "organisation_uid": uid}, actor=self.actor, now=self.now()
            )

        dialog.submit = submit
        dialog.finish_layout(body)
        if dialog.exec():
            self._organisation_chosen()

    def log_contact(self) -> None:
        """A line in the selected organisation's contact log."""
        uid = selected_key(self.page.organisations)
        if self.db is None or uid is None:
            self.status(self.tr._("Choose an organisation first."))
            return
        db, tr = self.db, self.tr
        dialog = FormDialog(tr._("Log a contact"), tr, self.page.window())
        body = QWidget()
        form = QFormLayout(body)
        dialog.add(form, "day", tr._("Date"), DateField(self.today()))
        dialog.add(form, "with_whom", tr._("With"), QLineEdit())
        dialog.add(form, "subject", tr._("About"), QLineEdit())
        dialog.add(form, "note", tr._("Note"), QLineEdit())

        def submit(values: dict[str, Any]) -> None:
            if values["day"] is None:
                raise UserError(N_("Give the date (dd-mm-jjjj)."))
            orgs.add_contact(
                db, uid, values["day"], self.actor.name, values["with_whom"], values["subject"],
                values["note"], self.actor, today=self.today(), now=self.now(),
            )  # fmt: skip

        dialog.submit = submit
        dialog.finish_layout(body)
        if dialog.exec():
            self._organisation_chosen()
