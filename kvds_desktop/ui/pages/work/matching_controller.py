"""The Matching tab: ranked pairs with their reasons, and a proposal for everyone.

Per candidate the opportunities that fit (best first) and those that do not with the
rule that failed; per opportunity the same for candidates. "Propose for everyone" runs
the optimal assignment in the background; the coordinator accepts a pair (a placement
is proposed) or overrides it with a reason, which is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidgetItem

from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.lookups import work_candidate_choices
from kvds_desktop.services.work import matching, proposal
from kvds_desktop.services.work.organisations import list_opportunities
from kvds_desktop.services.work.pairs import PairCheck, ScoreWeights
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.pages.work.view import WorkPage
from kvds_desktop.ui.tasks import Task, TaskRunner
from kvds_desktop.ui.widgets import refill_combo

CANDIDATE, OPPORTUNITY = "candidate", "opportunity"
FITS = "#dcfce7"


class MatchingController:
    """Drives the Matching tab."""

    def __init__(
        self,
        page: WorkPage,
        *,
        tr: Translator,
        dialogs: DialogService,
        runner: TaskRunner,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
        weights: Callable[[], ScoreWeights],
        changed: Callable[[], None],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.page = page
        self.tr = tr
        self.dialogs = dialogs
        self.runner = runner
        self.today = today
        self.actor = actor
        self.status = status
        self.weights = weights
        self.changed = changed
        self.now = now
        self.db: Database | None = None
        self.pairs: list[PairCheck] = []
        self.proposing = False
        self.task: Task | None = None
        page.mode.currentIndexChanged.connect(lambda _i: self._fill_targets())
        page.target.currentIndexChanged.connect(lambda _i: self.rank())
        page.propose.clicked.connect(self.propose)
        page.accept.clicked.connect(self.accept_selected)
        page.reject.clicked.connect(self.reject_selected)
        self.set_translator(tr)

    def set_translator(self, tr: Translator) -> None:
        """Switch to another language."""
        self.tr = tr
        refill_combo(
            self.page.mode,
            [(CANDIDATE, tr._("Per candidate")), (OPPORTUNITY, tr._("Per opportunity"))],
            self.page.mode.currentData(),
        )
        self._show()

    def set_database(self, db: Database | None) -> None:
        """Match in ``db``."""
        self.db = db
        self.pairs, self.proposing = [], False
        self._fill_targets()

    def reload(self) -> None:
        """Read the choices and the ranking again."""
        self._fill_targets()

    def _fill_targets(self) -> None:
        items: list[tuple[str, str]] = []
        if self.db is not None:
            if self.page.mode.currentData() == OPPORTUNITY:
                items = [
                    (o.uid, f"{o.title} – {o.organisation}")
                    for o in list_opportunities(self.db, today=self.today())
                ]
            else:
                items = work_candidate_choices(self.db)
        refill_combo(self.page.target, items, self.page.target.currentData())
        self.rank()

    def rank(self) -> None:
        """The ranked pairs of the chosen candidate or opportunity."""
        self.proposing = False
        uid = self.page.target.currentData()
        self.pairs = []
        if self.db is not None and uid:
            try:
                if self.page.mode.currentData() == OPPORTUNITY:
                    self.pairs = matching.rank_for_opportunity(
                        self.db, uid, today=self.today(), weights=self.weights()
                    )
                else:
                    self.pairs = matching.rank_for_candidate(
                        self.db, uid, today=self.today(), weights=self.weights()
                    )
            except UserError as exc:
                self.status(exc.render(self.tr._))
        self.page.proposal_summary.setText("")
        self._show()

    def _show(self) -> None:
        p, tr = self.page, self.tr
        per_opportunity = p.mode.currentData() == OPPORTUNITY and not self.proposing
        p.ranked.setSortingEnabled(False)
        p.ranked.setRowCount(len(self.pairs))
        for row, pair in enumerate(self.pairs):
            if self.proposing:
                first = f"{pair.candidate_name} → {pair.opportunity_title}"
            elif per_opportunity:
                first = pair.candidate_name
            else:
                first = pair.opportunity_title
            values = [
                first,
                pair.organisation,
                tr._("yes") if pair.feasible else tr._("no"),
                tr.number(round(pair.score)) if pair.feasible else "–",
                matching.render_reasons(pair, tr, failed_only=not pair.feasible),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, row)
                if pair.feasible and column == 2:
                    item.setBackground(QColor(FITS))
                if column == 4:
                    item.setToolTip(matching.render_reasons(pair, tr))
                p.ranked.setItem(row, column, item)
        p.ranked.resizeColumnsToContents()
        p.ranked.setColumnWidth(0, min(p.ranked.columnWidth(0), 320))
        feasible = any(pair.feasible for pair in self.pairs)
        p.accept.setEnabled(self.db is not None and feasible)
        p.reject.setEnabled(self.db is not None and feasible)
        p.propose.setEnabled(self.db is not None and not (self.task and self.task.is_running()))

    def _selected(self) -> PairCheck | None:
        row = self.page.ranked.currentRow()
        item = self.page.ranked.item(row, 0) if row >= 0 else None
        if item is None:
            self.status(self.tr._("Select a match first."))
            return None
        pair = self.pairs[int(item.data(Qt.ItemDataRole.UserRole))]
        if not pair.feasible:
            self.status(self.tr._("This pair does not fit: {why}").format(
                why=matching.render_reasons(pair, self.tr, failed_only=True)))  # fmt: skip
            return None
        return pair

    # -- the proposal ----------------------------------------------------------------------
    def propose(self) -> None:
        """The best assignment of everyone at once, computed in the background."""
        db = self.db
        if db is None or (self.task is not None and self.task.is_running()):
            return
        today, weights = self.today(), self.weights()
        self.page.proposal_summary.setText(self.tr._("Looking for the best matches…"))
        task = self.runner.submit(
            lambda _report, _cancelled: proposal.propose_matches(db, today=today, weights=weights)
        )
        task.succeeded.connect(self._proposed)
        task.failed.connect(self._failed)
        task.done.connect(self._show)
        self.task = task
        task.start()
        self._show()

    def _proposed(self, result: Any) -> None:
        self.proposing = True
        self.pairs = list(result.pairs)
        self.page.proposal_summary.setText(
            self.tr.ngettext(
                "{n} match proposed for {candidates} candidates who fit somewhere "
                "({seconds} s). Accept or override each one.",
                "{n} matches proposed for {candidates} candidates who fit somewhere "
                "({seconds} s). Accept or override each one.",
                len(self.pairs),
            ).format(n=len(self.pairs), candidates=result.candidates_considered,
                     seconds=self.tr.number(round(result.seconds, 1)))
        )  # fmt: skip
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self.page.proposal_summary.setText("")
        if isinstance(exc, UserError):
            self.dialogs.error(self.tr._("No proposal"), exc.render(self.tr._))
        else:
            raise exc

    # -- decisions -----------------------------------------------------------------------
    def _decide(self, pair: PairCheck, accept: bool, reason: str) -> bool:
        assert self.db is not None
        try:
            proposal.decide_match(
                self.db, candidate_uid=pair.candidate_uid, opportunity_uid=pair.opportunity_uid,
                accept=accept, reason=reason, actor=self.actor, today=self.today(),
                now=self.now(),
            )  # fmt: skip
        except UserError as exc:
            self.dialogs.error(self.tr._("The decision cannot be saved"), exc.render(self.tr._))
            return False
        self.pairs = [p for p in self.pairs if p is not pair] if self.proposing else self.pairs
        return True

    def accept_selected(self) -> None:
        """Accept the selected pair: a placement is proposed at that organisation."""
        pair = self._selected()
        if pair is None or self.db is None:
            return
        if self._decide(pair, True, ""):
            self.status(self.tr._("{name} proposed for {title}; see Placements.").format(
                name=pair.candidate_name, title=pair.opportunity_title))  # fmt: skip
            self._after_decision()

    def reject_selected(self) -> None:
        """Override the selected pair, with a reason that is logged."""
        pair = self._selected()
        if pair is None or self.db is None:
            return
        reason = self.dialogs.text(
            self.tr._("Not this match"),
            self.tr._("Why not {name} for {title}? (kept in the log)").format(
                name=pair.candidate_name, title=pair.opportunity_title),
        )  # fmt: skip
        if reason is None:
            return
        if self._decide(pair, False, reason):
            self.status(self.tr._("Noted; this match is not proposed again."))
            self._after_decision()

    def _after_decision(self) -> None:
        if not self.proposing:
            self.rank()
        else:
            self._show()
        self.changed()
