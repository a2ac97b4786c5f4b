"""The Regroup tab: a proposal of moves that makes a location's groups less mixed.

The solver runs in the background (it may take a few seconds); the moves are shown
with the spread of every group now and after, and the coordinator applies the moves
they agree with one at a time. Each move is checked again when it is applied.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from kvds_desktop.domain import labels
from kvds_desktop.errors import UserError
from kvds_desktop.i18n import Translator
from kvds_desktop.services import regroup
from kvds_desktop.services.audit import Actor
from kvds_desktop.services.lookups import location_choices
from kvds_desktop.store.database import Database
from kvds_desktop.ui.dialogs import DialogService
from kvds_desktop.ui.pages.levels.view import LevelsPage
from kvds_desktop.ui.tasks import Task, TaskRunner
from kvds_desktop.ui.widgets import refill_combo


def _levels_text(tr: Translator, levels: dict[str, str]) -> str:
    return ", ".join(
        f"{tr._(labels.label(labels.SKILL, skill))} {tr._(labels.label(labels.LEVEL, level))}"
        for skill, level in levels.items()
    )


def _spread_text(tr: Translator, spreads: dict[str, int]) -> str:
    return ", ".join(
        f"{tr._(labels.label(labels.SKILL, skill))} {steps}" for skill, steps in spreads.items()
    )


class RegroupController:
    """Drives the Regroup tab."""

    def __init__(
        self,
        page: LevelsPage,
        *,
        tr: Translator,
        dialogs: DialogService,
        runner: TaskRunner,
        today: Callable[[], date],
        actor: Actor,
        status: Callable[[str], None],
        changed: Callable[[], None],
    ) -> None:
        self.page = page
        self.tr = tr
        self.dialogs = dialogs
        self.runner = runner
        self.today = today
        self.actor = actor
        self.status = status
        self.changed = changed
        self.db: Database | None = None
        self.proposal: Any = None
        self.applied: set[str] = set()
        self.task: Task | None = None
        page.propose.clicked.connect(self.propose)
        page.apply_move.clicked.connect(self.apply_selected)
        page.moves.itemDoubleClicked.connect(lambda _item: self.apply_selected())
        self._enable()

    def set_translator(self, tr: Translator) -> None:
        """Speak another language from now on."""
        self.tr = tr
        self._show()

    def set_database(self, db: Database | None) -> None:
        """Work on ``db``."""
        self.db = db
        self.proposal = None
        choices = location_choices(db) if db is not None else []
        refill_combo(
            self.page.location, [(name, name) for _id, name in choices],
            self.page.location.currentData(),
        )  # fmt: skip
        self._show()

    def _enable(self) -> None:
        busy = self.task is not None and self.task.is_running()
        self.page.propose.setEnabled(self.db is not None and not busy)
        self.page.apply_move.setEnabled(bool(self.proposal and self.proposal.moves))

    def propose(self) -> None:
        """Compute a proposal for the chosen location in the background."""
        db, location = self.db, self.page.location.currentData()
        if db is None or not location:
            return
        today = self.today()
        self.page.regroup_summary.setText(self.tr._("Looking for better groups…"))
        task = self.runner.submit(
            lambda _report, _cancelled: regroup.propose_regrouping(
                db, location=location, today=today
            )
        )
        task.succeeded.connect(self._proposed)
        task.failed.connect(self._failed)
        task.done.connect(self._enable)
        self.task = task
        task.start()
        self._enable()

    def _proposed(self, proposal: object) -> None:
        self.proposal = proposal
        self.applied = set()
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self.page.regroup_summary.setText("")
        if isinstance(exc, UserError):
            self.dialogs.error(self.tr._("No proposal"), exc.render(self.tr._))
        else:
            raise exc

    def _show(self) -> None:
        p, tr, proposal = self.page, self.tr, self.proposal
        moves = list(proposal.moves) if proposal is not None else []
        if proposal is None:
            p.regroup_summary.setText("")
        elif not moves:
            p.regroup_summary.setText(
                tr._("No move makes the groups of {location} less mixed: the largest spread "
                     "is {largest} steps.").format(
                    location=proposal.location, largest=proposal.largest_before)
            )  # fmt: skip
        else:
            total_before = sum(sum(v.values()) for v in proposal.spread_before.values())
            total_after = sum(sum(v.values()) for v in proposal.spread_after.values())
            p.regroup_summary.setText(
                tr.ngettext(
                    "{n} move: the spreads within the groups add up to {after} steps instead "
                    "of {before}; the largest spread goes from {largest_before} to "
                    "{largest_after}.",
                    "{n} moves: the spreads within the groups add up to {after} steps instead "
                    "of {before}; the largest spread goes from {largest_before} to "
                    "{largest_after}.",
                    len(moves),
                ).format(n=len(moves), before=total_before, after=total_after,
                         largest_before=proposal.largest_before,
                         largest_after=proposal.largest_after)
            )  # fmt: skip
        p.moves.setSortingEnabled(False)
        p.moves.setRowCount(len(moves))
        for row, move in enumerate(moves):
            done = move.candidate_uid in self.applied
            values = [
                move.candidate_name,
                move.from_group,
                move.to_group,
                _levels_text(tr, dict(move.levels)),
                tr._("applied") if done else self._why(move),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, row)
                p.moves.setItem(row, column, item)
        p.moves.resizeColumnsToContents()
        before = proposal.spread_before if proposal is not None else {}
        after = proposal.spread_after if proposal is not None else {}
        names = sorted(set(before) | set(after))
        p.spreads.setRowCount(len(names))
        for row, name in enumerate(names):
            for column, value in enumerate(
                (
                    name,
                    _spread_text(tr, before.get(name, {})),
                    _spread_text(tr, after.get(name, {})),
                )
            ):
                p.spreads.setItem(row, column, QTableWidgetItem(value))
        p.spreads.resizeColumnsToContents()
        self._enable()

    def _why(self, move: Any) -> str:
        tr = self.tr
        text = tr._("spread in {source}: {before} → {after}; in {target}: {t_before} → {t_after}")
        return text.format(
            source=move.from_group, before=sum(move.from_spread_before.values()),
            after=sum(move.from_spread_after.values()), target=move.to_group,
            t_before=sum(move.to_spread_before.values()),
            t_after=sum(move.to_spread_after.values()),
        )  # fmt: skip

    def apply_selected(self) -> None:
        """Apply the selected move from today, after confirmation."""
        if self.db is None or self.proposal is None:
            return
        row = self.page.moves.currentRow()
        item = self.page.moves.item(row, 0) if row >= 0 else None
        if item is None:
            self.status(self.tr._("Select a move first."))
            return
        move = self.proposal.moves[int(item.data(Qt.ItemDataRole.UserRole))]
        if move.candidate_uid in self.applied:
            return
        tr = self.tr
        question = tr._("Move {name} from {source} to {target} from {day}?").format(
            name=move.candidate_name, source=move.from_group, target=move.to_group,
            day=tr.date(self.today()),
        )  # fmt: skip
        if not self.dialogs.confirm(tr._("Apply the move"), question):
            return
        try:
            regroup.apply_move(self.db, move, on=self.today(), actor=self.actor)
        except UserError as exc:
            self.dialogs.error(tr._("The move cannot be applied"), exc.render(tr._))
            return
        self.applied.add(move.candidate_uid)
        self.status(tr._("{name} moved to {target}.").format(name=move.candidate_name,
                                                             target=move.to_group))  # fmt: skip
        self._show()
        self.changed()
