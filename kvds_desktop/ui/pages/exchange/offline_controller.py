"""What the offline tab of the Uitwisseling page does: packs and workbooks out, marks in.

Every file is read and merged on its own: a file that cannot be used is reported and
the others still go in. A sealed file is tried with the passphrases given so far in
this import, and only when none fits is the coordinator asked for the right one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from kvds_desktop.errors import UserError
from kvds_desktop.exchange.files import write_bytes
from kvds_desktop.exchange.sealed import WrongPassphrase, check_passphrase
from kvds_desktop.i18n import Translator
from kvds_desktop.services.attendance.common import iso_week_key
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.lookups import group_choices, teacher_choices
from kvds_desktop.services.offline import merge, packs, workbook
from kvds_desktop.services.offline.intake import Intake, is_workbook, read_incoming
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.pages.exchange.offline_view import OfflinePanel
from kvds_desktop.ui.widgets import refill_combo

PACK_FILTER = "KVDS (*.kvdspack);;*"
WORKBOOK_FILTER = "Excel (*.xlsx);;*"
INCOMING_FILTER = "KVDS, Excel (*.kvdsmarks *.xlsx);;*"
WEEKS_BACK, WEEKS_AHEAD = 2, 6


@dataclass(frozen=True)
class ReportLine:
    """One line of the last import's report."""

    file: str
    result: str
    details: str


def _safe(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-")[:40] or "kvds"


def _set_rows(widget: QTableWidget, rows: list[list[str]], keys: list[str] | None = None) -> None:
    """Fill a table; ``keys`` (one per row) go with the first cell, to survive sorting."""
    widget.setSortingEnabled(False)
    widget.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            widget.setItem(r, c, item)
    widget.setSortingEnabled(True)
    widget.resizeColumnsToContents()


class OfflineController:
    """Drives the offline tab."""

    def __init__(
        self,
        panel: OfflinePanel,
        *,
        tr: Translator,
        dialogs: DialogService,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
        changed: Callable[[], None],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.panel = panel
        self.tr = tr
        self.dialogs = dialogs
        self.today = today
        self.actor = actor
        self.status = status
        self.changed = changed
        self.now = now
        self.db: Database | None = None
        self.conflicts: list[merge.ConflictRow] = []
        self.report: list[ReportLine] = []
        panel.export_pack.clicked.connect(self.export_pack)
        panel.export_workbook.clicked.connect(self.export_workbook)
        panel.import_marks.clicked.connect(self.import_files)
        panel.resolve.clicked.connect(self.resolve)
        panel.conflicts.itemDoubleClicked.connect(lambda _item: self.resolve())
        panel.target.currentIndexChanged.connect(lambda _i: self._enable())
        self.set_translator(tr)

    def set_translator(self, tr: Translator) -> None:
        """Switch the tab to another language."""
        self.tr = tr
        self.panel.retranslate_ui(tr)
        self.reload()

    def set_database(self, db: Database | None) -> None:
        """Work on ``db`` (None: nothing open)."""
        self.db = db
        self.report = []
        self.reload()

    # -- showing -------------------------------------------------------------------------
    def reload(self) -> None:
        """Fill the choices, the conflicts and the receipts again."""
        p, tr = self.panel, self.tr
        this_monday = self.today() - timedelta(days=self.today().weekday())
        weeks = []
        for offset in range(-WEEKS_BACK, WEEKS_AHEAD + 1):
            monday = this_monday + timedelta(weeks=offset)
            text = tr._("week {week}: {first} to {last}").format(
                week=monday.isocalendar().week,
                first=tr.date(monday, "d MMM"),
                last=tr.date(monday + timedelta(days=4), "d MMM yyyy"),
            )
            weeks.append((iso_week_key(monday), text))
        current = p.week.currentData() or iso_week_key(this_monday + timedelta(weeks=1))
        refill_combo(p.week, weeks, current)
        targets: list[tuple[str, str]] = []
        if self.db is not None:
            targets += [
                (f"teacher:{i}", tr._("Teacher: {name}").format(name=n))
                for i, n in teacher_choices(self.db)
            ]
            targets += [
                (f"group:{u}", tr._("Group: {name}").format(name=n))
                for u, n in group_choices(self.db)
            ]
        refill_combo(p.target, targets, p.target.currentData())
        self.conflicts = merge.list_conflicts(self.db) if self.db is not None else []
        receipts = merge.receipts(self.db) if self.db is not None else []
        _set_rows(
            p.conflicts,
            [self._conflict_cells(c) for c in self.conflicts],
            [c.uid for c in self.conflicts],
        )
        waiting = [r for r in receipts if r.missing]
        _set_rows(p.receipts, [self._receipt_cells(r) for r in waiting])
        _set_rows(p.report, [[r.file, r.result, r.details] for r in self.report])
        p.set_tab_counts(tr, len(self.conflicts), len(waiting), len(self.report))
        self._enable()

    def _enable(self) -> None:
        p = self.panel
        target = p.target.currentData()
        p.export_pack.setEnabled(self.db is not None and target is not None)
        p.export_workbook.setEnabled(self.db is not None and str(target).startswith("group:"))
        p.import_marks.setEnabled(self.db is not None)
        p.resolve.setEnabled(bool(self.conflicts))

    def _value(self, status: str, reason: str, minutes: int | None) -> str:
        text = status or self.tr._("(no mark)")
        if minutes:
            text += " " + self.tr._("{n} min").format(n=minutes)
        if reason:
            text += f" ({reason})"
        return text

    def _claim_text(self, claim: merge.ClaimRow) -> str:
        who = self.tr._("you") if claim.key == "mine" else claim.label
        return f"{who}: {self._value(claim.status_code, claim.reason, claim.minutes)}"

    def _conflict_cells(self, row: merge.ConflictRow) -> list[str]:
        now = (
            self._value(row.current.status_code, row.current.reason, row.current.minutes)
            if row.current
            else self.tr._("(no mark)")
        )
        return [
            row.lesson_date.isoformat(),
            f"{row.start:%H:%M}",
            row.group_name,
            row.candidate_name,
            now,
            " · ".join(self._claim_text(c) for c in row.claims),
        ]

    def _receipt_cells(self, row: merge.ReceiptRow) -> list[str]:
        missing = ", ".join(
            f"{self.tr.date(m.lesson_date, 'EEE d MMM')} {m.start:%H:%M} {m.group_name}"
            for m in row.missing
        )
        return [
            row.teacher_name or row.group_names,
            row.week,
            str(row.expected),
            str(row.received),
            missing,
        ]

    # -- sending -------------------------------------------------------------------------
    def _new_passphrase(self) -> str | None:
        tr = self.tr
        while True:
            first = self.dialogs.passphrase(
                tr._("Export week pack"),
                tr._("A passphrase for this pack (at least 10 characters), agreed with the "
                     "teacher:"),
            )  # fmt: skip
            if first is None:
                return None
            try:
                check_passphrase(first)
            except UserError as exc:
                self.dialogs.error(tr._("Export week pack"), exc.render(tr._))
                continue
            again = self.dialogs.passphrase(tr._("Export week pack"), tr._("The same again:"))
            if again is None:
                return None
            if again == first:
                return first
            self.dialogs.error(
                tr._("Export week pack"), tr._("The two passphrases differ; try again.")
            )

    def export_pack(self) -> None:
        """Seal the lessons and names of the chosen teacher or group and week into a file."""
        p, tr = self.panel, self.tr
        target, week = p.target.currentData(), p.week.currentData()
        if self.db is None or target is None or week is None:
            return
        name = p.target.currentText().split(":", 1)[-1].strip()
        suggested = f"weekpack-{week}-{_safe(name)}.kvdspack"
        path = self.dialogs.save_file(
            "packs", tr._("Export week pack"), PACK_FILTER, Path.home(), suggested
        )
        if path is None:
            return
        passphrase = self._new_passphrase()
        if passphrase is None:
            return
        kind, key = str(target).split(":", 1)
        try:
            result = packs.export_pack(
                self.db, week=week, teacher_id=int(key) if kind == "teacher" else None,
                group_uid=key if kind == "group" else None, passphrase=passphrase,
                actor=self.actor, now=self.now(),
            )  # fmt: skip
            write_bytes(path, result.data)
        except UserError as exc:
            self.dialogs.error(tr._("The week pack cannot be made"), exc.render(tr._))
            return
        text = tr._(
            "Week pack written to {path}: {lessons} lessons, {candidates} candidates. Give "
            "the teacher the passphrase by another way than the file."
        ).format(path=path, lessons=result.lesson_count, candidates=result.candidate_count)
        self.dialogs.info(tr._("Export week pack"), text)
        self.status(text)
        self.reload()

    def export_workbook(self) -> None:
        """Write the attendance workbook of the chosen group and week."""
        p, tr = self.panel, self.tr
        target, week = p.target.currentData(), p.week.currentData()
        if self.db is None or not str(target).startswith("group:") or week is None:
            return
        name = p.target.currentText().split(":", 1)[-1].split("(")[0].strip()
        suggested = f"aanwezigheid-{week}-{_safe(name)}.xlsx"
        path = self.dialogs.save_file(
            "packs", tr._("Export workbook"), WORKBOOK_FILTER, Path.home(), suggested
        )
        if path is None:
            return
        try:
            result = workbook.export_workbook(
                self.db, group_uid=str(target).split(":", 1)[1], week=week, language=tr.language,
                actor=self.actor, now=self.now(),
            )  # fmt: skip
            write_bytes(path, result.data)
        except UserError as exc:
            self.dialogs.error(tr._("The workbook cannot be made"), exc.render(tr._))
            return
        self.status(tr._("Teacher workbook written to {path}.").format(path=path))
        self.reload()

    # -- receiving -----------------------------------------------------------------------
    def _read(self, path: Path, passphrases: list[str]) -> Intake | None:
        """Read one file, asking for its passphrase when none known fits; None: skipped."""
        tr = self.tr
        if is_workbook(path):
            return read_incoming(path, None)
        for known in passphrases:
            try:
                return read_incoming(path, known)
            except WrongPassphrase:
                continue
        label = tr._("The passphrase agreed with the teacher for {name}:").format(name=path.name)
        while True:
            asked = self.dialogs.passphrase(tr._("Import marks"), label)
            if asked is None:
                self.report.append(
                    ReportLine(path.name, tr._("skipped"), tr._("No passphrase given."))
                )
                return None
            try:
                intake = read_incoming(path, asked)
            except WrongPassphrase as exc:
                self.dialogs.error(tr._("Import marks"), exc.render(tr._))
                continue
            passphrases.append(asked)
            return intake

    def import_files(self) -> None:
        """Take in marks files and workbooks; report per file; show what needs a decision."""
        tr = self.tr
        if self.db is None:
            return
        files = self.dialogs.open_files(
            "marks", tr._("Import marks files and workbooks"), INCOMING_FILTER, Path.home()
        )
        if not files:
            return
        self.report = []
        passphrases: list[str] = []
        totals = {"files": 0, "marks": 0, "conflicts": 0, "problems": 0}
        for path in files:
            try:
                intake = self._read(path, passphrases)
                if intake is None:
                    continue
                result = merge.import_incoming(
                    self.db, intake.incoming, actor=self.actor, now=self.now()
                )
            except UserError as exc:
                totals["problems"] += 1
                self.report.append(
                    ReportLine(path.name, tr._("refused, nothing written"), exc.render(tr._))
                )
                continue
            totals["files"] += 1
            totals["marks"] += result.changed_marks
            totals["conflicts"] += len(result.conflicts)
            totals["problems"] += (
                len(result.unknown) + len(result.rejected) + len(intake.unreadable)
            )
            self._report_file(path, intake, result)
        self.panel.summary.setText(
            tr._(
                "{files} of {total} files taken in: {marks} marks changed, {conflicts} new "
                "conflicts, {problems} problems (see Last import)."
            ).format(total=len(files), **totals)
        )
        self.reload()
        if self.conflicts:
            self.panel.tabs.setCurrentIndex(0)
        elif totals["problems"]:
            self.panel.tabs.setCurrentIndex(2)
        self.changed()

    def _report_file(self, path: Path, intake: Intake, result: merge.ImportReport) -> None:
        tr = self.tr
        self.report.append(
            ReportLine(
                path.name,
                tr._("taken in ({source})").format(source=result.source_label),
                tr._(
                    "{imported} new marks, {changed} marks changed, {unchanged} unchanged, "
                    "{conflicts} conflicts"
                ).format(
                    imported=result.imported,
                    changed=result.changed_marks,
                    unchanged=result.unchanged,
                    conflicts=len(result.conflicts),
                ),
            )
        )
        for unknown in result.unknown:
            self.report.append(ReportLine(path.name, tr._("unknown"), unknown.render(tr)))
        for rejected in result.rejected:
            self.report.append(ReportLine(path.name, tr._("rejected"), rejected.render(tr)))
        for cell in intake.unreadable:
            self.report.append(
                ReportLine(
                    path.name,
                    tr._("not understood"),
                    tr._("{name}, {lesson}: {text!r}").format(
                        name=cell.row_name, lesson=cell.lesson_header, text=cell.text
                    ),
                )
            )
        if result.receipt is not None and result.receipt.missing:
            self.report.append(
                ReportLine(
                    path.name,
                    tr._("not received yet"),
                    ", ".join(self._receipt_cells(result.receipt)[4:]),
                )
            )

    def resolve(self) -> None:
        """Let the coordinator keep one of the marks of the selected conflict."""
        tr = self.tr
        row = self.panel.conflicts.currentRow()
        if self.db is None or row < 0:
            if self.conflicts:
                self.status(tr._("Select a conflict first."))
            return
        item = self.panel.conflicts.item(row, 0)
        uid = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        found = [c for c in self.conflicts if c.uid == uid]
        if not found:
            return
        conflict = found[0]
        choice = self.dialogs.choose(
            tr._("Which mark is right?"),
            tr._("{name}, {group}, {day} {time}:").format(
                name=conflict.candidate_name,
                group=conflict.group_name,
                day=tr.date(conflict.lesson_date, "full"),
                time=f"{conflict.start:%H:%M}",
            ),
            [self._claim_text(c) for c in conflict.claims],
        )
        if choice is None:
            return
        claim = conflict.claims[choice]
        try:
            merge.resolve_conflict(
                self.db, conflict.uid, keep=claim.fact_uid or claim.key, actor=self.actor,
                now=self.now(),
            )  # fmt: skip
        except UserError as exc:
            self.dialogs.error(tr._("The conflict cannot be resolved"), exc.render(tr._))
            return
        self.status(
            tr._("Kept {claim} for {name}.").format(
                claim=self._claim_text(conflict.claims[choice]), name=conflict.candidate_name
            )
        )
        self.reload()
        self.changed()
