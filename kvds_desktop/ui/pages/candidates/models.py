"""Thin Qt item models over plain rows from the candidate service (no queries in data())."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kvds_desktop.domain import labels
from kvds_desktop.domain.deadlines import Deadline
from kvds_desktop.errors import N_
from kvds_desktop.i18n import Translator
from kvds_desktop.services.candidates import CandidateRow, DuplicatePair

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
UID_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE = QColor("#b3261e")
SOON = QColor("#8a5a00")

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its header (message id), its text and its sort key."""

    header: str
    text: Callable[[T, Translator], str]
    sort: Callable[[T], Any]


class RowsModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of plain rows, replaced whole with set_rows()."""

    def __init__(self, columns: Sequence[Column[T]], tr: Translator) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows: list[T] = []
        self._tr = tr

    def set_rows(self, rows: Sequence[T]) -> None:
        """Show ``rows`` in place of the current ones."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_translator(self, tr: Translator) -> None:
        """Redraw headers and texts in another language."""
        self._tr = tr
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def row_at(self, row: int) -> T:
        """The plain row behind a model row."""
        return self._rows[row]

    def rows(self) -> list[T]:
        """All rows shown."""
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._columns):
            return self._tr._(self._columns[section].header)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row, self._tr)
        if role == SORT_ROLE:
            return column.sort(row)
        if role == UID_ROLE:
            return getattr(row, "uid", None)
        return self.extra_data(row, index.column(), role)

    def extra_data(self, row: T, column: int, role: int) -> Any:
        """Colours and tooltips; subclasses add their own."""
        return None


def _date(value: date | None, tr: Translator) -> str:
    return tr.date(value, "short") if value else ""


def deadline_text(deadline: Deadline | None, tr: Translator) -> str:
    """'PIP within 10 weeks · 12-12-2026' for the list."""
    if deadline is None:
        return ""
    return f"{tr._(labels.DEADLINE[deadline.kind])} · {tr.date(deadline.due, 'short')}"


def deadline_reason(deadline: Deadline, tr: Translator) -> str:
    """Why the deadline is shown, in the user's language."""
    count = abs(deadline.days_left)
    return tr._(deadline.reason).format(
        date=tr.date(deadline.due, "long"),
        days=tr.ngettext("{n} day", "{n} days", count).format(n=count),
        modules=tr._(deadline.modules) if deadline.modules else "",
    )


CANDIDATE_COLUMNS: tuple[Column[CandidateRow], ...] = (
    Column(N_("Name"), lambda r, tr: r.name, lambda r: r.sort_name.casefold()),
    Column(N_("Client no."), lambda r, tr: r.klantnummer, lambda r: r.klantnummer),
    Column(N_("Location"), lambda r, tr: r.location or r.municipality, lambda r: r.location),
    Column(N_("Group"), lambda r, tr: r.group, lambda r: r.group),
    Column(
        N_("Status"), lambda r, tr: tr._(labels.label(labels.STATUS, r.status)), lambda r: r.status
    ),
    Column(N_("Law"), lambda r, tr: tr._(labels.label(labels.LAW, r.law)), lambda r: r.law),
    Column(N_("Route"), lambda r, tr: tr._(labels.label(labels.ROUTE, r.route)), lambda r: r.route),
    Column(N_("Klantmanager"), lambda r, tr: r.klantmanager, lambda r: r.klantmanager),
    Column(
        N_("Registered"),
        lambda r, tr: _date(r.registration_date, tr),
        lambda r: r.registration_date.isoformat(),
    ),
    Column(
        N_("Next deadline"),
        lambda r, tr: deadline_text(r.next_deadline, tr),
        lambda r: r.next_deadline.due.isoformat() if r.next_deadline else "9999",
    ),
)


class CandidateTableModel(RowsModel[CandidateRow]):
    """The candidate list; deadlines coloured by urgency, the reason as tooltip."""

    def __init__(self, tr: Translator) -> None:
        super().__init__(CANDIDATE_COLUMNS, tr)

    def extra_data(self, row: CandidateRow, column: int, role: int) -> Any:
        deadline = row.next_deadline
        if column != len(CANDIDATE_COLUMNS) - 1 or deadline is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if deadline.overdue:
                return QBrush(OVERDUE)
            if deadline.days_left <= 30:
                return QBrush(SOON)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(deadline_reason(d, self._tr) for d in row.deadlines)
        return None


@dataclass(frozen=True)
class DeadlineLine:
    """One deadline of one candidate, for the Deadlines tab."""

    uid: str
    name: str
    klantmanager: str
    deadline: Deadline


DEADLINE_COLUMNS: tuple[Column[DeadlineLine], ...] = (
    Column(
        N_("Due"),
        lambda d, tr: tr.date(d.deadline.due, "short"),
        lambda d: d.deadline.due.isoformat(),
    ),
    Column(N_("Days"), lambda d, tr: str(d.deadline.days_left), lambda d: d.deadline.days_left),
    Column(N_("Candidate"), lambda d, tr: d.name, lambda d: d.name.casefold()),
    Column(
        N_("Deadline"),
        lambda d, tr: tr._(labels.DEADLINE[d.deadline.kind]),
        lambda d: d.deadline.kind,
    ),
    Column(N_("Why"), lambda d, tr: deadline_reason(d.deadline, tr), lambda d: d.deadline.reason),
    Column(N_("Klantmanager"), lambda d, tr: d.klantmanager, lambda d: d.klantmanager),
)


class DeadlineTableModel(RowsModel[DeadlineLine]):
    """Every deadline that needs attention, soonest first."""

    def __init__(self, tr: Translator) -> None:
        super().__init__(DEADLINE_COLUMNS, tr)

    def extra_data(self, row: DeadlineLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.deadline.overdue:
            return QBrush(OVERDUE)
        return None


DUPLICATE_COLUMNS: tuple[Column[DuplicatePair], ...] = (
    Column(N_("First record"), lambda p, tr: p.first_name, lambda p: p.first_name.casefold()),
    Column(N_("Second record"), lambda p, tr: p.second_name, lambda p: p.second_name.casefold()),
    Column(
        N_("Birth date"),
        lambda p, tr: _date(p.birth_date, tr),
        lambda p: p.birth_date.isoformat() if p.birth_date else "",
    ),
    Column(N_("Why flagged"), lambda p, tr: tr._(p.reason), lambda p: p.reason),
)


class DuplicateTableModel(RowsModel[DuplicatePair]):
    """Pairs of records that may be one person."""

    def __init__(self, tr: Translator) -> None:
        super().__init__(DUPLICATE_COLUMNS, tr)
