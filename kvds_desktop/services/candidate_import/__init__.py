"""Importing a candidate list from the municipality's client system.

:func:`preview_import` reads the file and compares it with the app without writing;
the user looks at the preview, chooses for each conflict, and :func:`commit_import`
writes it in one transaction.
"""

from kvds_desktop.services.candidate_import.commit import commit_import
from kvds_desktop.services.candidate_import.model import (
    NO_VALID_ROW,
    ChangedCandidate,
    Conflict,
    FieldChange,
    ImportPreview,
    ImportResult,
    MissingColumns,
    NewCandidate,
    PlannedRow,
    Rejection,
    mask_bsn,
)
from kvds_desktop.services.candidate_import.preview import preview_import

__all__ = [
    "NO_VALID_ROW",
    "ChangedCandidate",
    "Conflict",
    "FieldChange",
    "ImportPreview",
    "ImportResult",
    "MissingColumns",
    "NewCandidate",
    "PlannedRow",
    "Rejection",
    "commit_import",
    "mask_bsn",
    "preview_import",
]
