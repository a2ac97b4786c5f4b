"""What a marks file or a teacher workbook hands to the merge, whatever its format.

The readers (``packs.read_marks``, ``workbook.read_workbook``) turn a file into an
``IncomingFile``; the merge (``merge.import_incoming``) only ever sees these.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

# Fact ids made by this application are derived from what identifies the fact, so the
# same fact read twice (or written twice by an export) gets the same id.
FACT_NAMESPACE = uuid.UUID("0b6f3c1e-94a4-4b6e-8f5e-2d7c9a41e3b7")

MARKS_KIND = "marks"
WORKBOOK_KIND = "workbook"


def fact_uid(*parts: object) -> str:
    """A stable fact id from the parts that identify it."""
    return str(uuid.uuid5(FACT_NAMESPACE, "/".join("" if p is None else str(p) for p in parts)))


def device_source(pack_uid: str, device_id: str) -> str:
    """The source key of the teacher app holding ``pack_uid`` on one laptop."""
    return f"pack:{pack_uid}:{device_id}"[:80]


def workbook_source(pack_uid: str) -> str:
    """The source key of one exported teacher workbook."""
    return f"workbook:{pack_uid}"[:80]


@dataclass(frozen=True)
class IncomingMark:
    """One mark as the source recorded it.

    ``status_code`` empty: the source withdrew its earlier mark. ``revision`` is the
    source's own counter for this candidate in this lesson (higher is later at that
    source); ``recorded_at`` is the source's clock and only informs.
    """

    uid: str
    lesson_uid: str
    candidate_uid: str
    status_code: str
    reason: str = ""
    minutes: int | None = None
    note: str = ""
    revision: int = 0
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class IncomingFile:
    """The marks of one file with where they come from."""

    kind: str  # MARKS_KIND or WORKBOOK_KIND
    file_name: str
    sha256: str
    database_uid: str  # the coordinator database the pack or workbook was made from
    pack_uid: str
    source_key: str  # device_source(...) or workbook_source(...)
    source_label: str  # the teacher's name as the file gives it
    device_id: str
    exported_at: datetime | None  # the laptop's clock at export; informs only
    marks: tuple[IncomingMark, ...]
