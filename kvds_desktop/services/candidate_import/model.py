"""What an import of a candidate list shows before it writes, and what it wrote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kvds_desktop.domain import bsn
from kvds_desktop.errors import N_, UserError

NO_VALID_ROW = N_("The file {source} has no valid row; nothing was imported.")


def mask_bsn(value: str) -> str:
    """A BSN as it may appear in reports and the audit trail: only the last 3 digits."""
    return bsn.mask(value)


def shown(field_name: str, value: str) -> str:
    """A value for a report or JSON: BSNs masked, everything else as stored."""
    return mask_bsn(value) if field_name == "bsn" else value


@dataclass(frozen=True)
class Rejection:
    """A row that will not be imported, and why (a message id and its parameters)."""

    row: int
    message_id: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, gettext: Callable[[str], str]) -> str:
        """The reason in the language of ``gettext``."""
        message = gettext(self.message_id)
        return message.format(**self.params) if self.params else message

    def as_json(self) -> dict[str, Any]:
        """``{"row": n, "reason": English text}``."""
        return {"row": self.row, "reason": self.text(str)}


@dataclass(frozen=True)
class FieldChange:
    """One field of an existing candidate that the import will change."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class NewCandidate:
    """A row that becomes a new candidate; ``values`` are the stored forms by field."""

    row: int
    values: dict[str, str]

    @property
    def display_name(self) -> str:
        """'Voornamen tussenvoegsel Achternaam'."""
        parts = (self.values.get(k, "") for k in ("voornamen", "tussenvoegsel", "achternaam"))
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class ChangedCandidate:
    """A row that changes an existing candidate, field by field."""

    row: int
    candidate_uid: str
    display_name: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class Conflict:
    """A field the coordinator changed in the app that the file changes too.

    The user chooses: ``resolutions[(row, field)] = "file"`` or ``"app"``; without a
    choice the app's value stays. ``baseline_value`` is the value of the last import
    (None when the field was never imported).
    """

    row: int
    candidate_uid: str
    display_name: str
    field: str
    app_value: str
    file_value: str
    baseline_value: str | None


@dataclass(frozen=True)
class PlannedRow:
    """A valid row as the commit needs it: its values and the candidate it matched."""

    row: int
    values: dict[str, str]
    candidate_uid: str | None


@dataclass(frozen=True)
class ImportPreview:
    """Everything an import would do, computed without writing.

    Rows with only conflicts are in neither ``changed`` nor ``unchanged``; they show
    up in ``conflicts``.
    """

    source: str
    new: list[NewCandidate]
    changed: list[ChangedCandidate]
    unchanged: list[int]
    rejected: list[Rejection]
    conflicts: list[Conflict]
    unknown_columns: list[str]
    columns: dict[str, str] = field(default_factory=dict)  # header text -> field
    duplicate_columns: list[str] = field(default_factory=list)
    planned: tuple[PlannedRow, ...] = field(default=(), repr=False, compare=False)

    @property
    def rejected_rows(self) -> list[int]:
        """The numbers of the rejected rows (a row may have several reasons)."""
        return sorted({r.row for r in self.rejected})

    @property
    def has_valid_rows(self) -> bool:
        """Whether at least one row can be imported (new, changed, unchanged or conflicting)."""
        return bool(self.planned)

    def summary(self, gettext: Callable[[str], str]) -> list[str]:
        """The counts, and the unknown columns if any, as lines in the user's language."""
        lines = [
            gettext(
                "{source}: {new} new, {changed} changed, {unchanged} unchanged, "
                "{rejected} rejected, {conflicts} conflicts."
            ).format(
                source=self.source, new=len(self.new), changed=len(self.changed),
                unchanged=len(self.unchanged), rejected=len(self.rejected_rows),
                conflicts=len(self.conflicts),
            )
        ]  # fmt: skip
        if self.unknown_columns:
            lines.append(
                gettext("Unknown columns (ignored): {columns}").format(
                    columns=", ".join(self.unknown_columns)
                )
            )
        return lines

    def as_json(self) -> dict[str, Any]:
        """Counts and lists for ``--json`` (BSNs masked)."""
        return {
            "source": self.source,
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "rejected": [r.as_json() for r in self.rejected],
            "conflicts": [
                {
                    "row": c.row,
                    "candidate": c.display_name,
                    "candidate_uid": c.candidate_uid,
                    "field": c.field,
                    "app": shown(c.field, c.app_value),
                    "file": shown(c.field, c.file_value),
                }
                for c in self.conflicts
            ],
            "changes": [
                {
                    "row": c.row,
                    "candidate": c.display_name,
                    "candidate_uid": c.candidate_uid,
                    "fields": {
                        f.field: {"old": shown(f.field, f.old), "new": shown(f.field, f.new)}
                        for f in c.changes
                    },
                }
                for c in self.changed
            ],
            "unknown_columns": list(self.unknown_columns),
            "duplicate_columns": list(self.duplicate_columns),
        }


@dataclass(frozen=True)
class ImportResult:
    """What a committed import wrote."""

    source: str
    created: int
    updated: int
    unchanged: int
    rejected: int
    conflicts_kept_app: int
    conflicts_taken_from_file: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    created_uids: list[str] = field(default_factory=list, repr=False)
    updated_uids: list[str] = field(default_factory=list, repr=False)

    def as_json(self) -> dict[str, Any]:
        """The counts, and the reasons for rows rejected at commit time."""
        return {
            "source": self.source,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "conflicts_kept_app": self.conflicts_kept_app,
            "conflicts_taken_from_file": self.conflicts_taken_from_file,
            "rejections": [r.as_json() for r in self.rejections],
        }


class MissingColumns(UserError):
    """The file has no column for a field every row needs (map one, then preview again)."""

    def __init__(self, source: str, missing: list[str], headers: list[str]) -> None:
        super().__init__(
            N_(
                "The file {source} has no column for {fields}. Its columns are: {columns}. "
                "Map a column to each of these fields and try again."
            ),
            source=source,
            fields=", ".join(missing),
            columns=", ".join(h for h in headers if h),
        )
        self.missing = missing
        self.headers = headers
