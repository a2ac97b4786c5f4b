"""Candidates: the list and the record, their changes, deadlines and duplicates."""

from kvds_desktop.services.candidates.commands import (
    add_note,
    add_pip_version,
    change_status,
    create_candidate,
    extend_term,
    reveal_bsn,
    save_work_profile,
    update_candidate,
)
from kvds_desktop.services.candidates.duplicates import (
    DuplicatePair,
    find_duplicates,
    mark_not_duplicate,
    merge_candidates,
)
from kvds_desktop.services.candidates.queries import (
    CandidateDetail,
    CandidateRow,
    candidate_detail,
    candidate_rows,
    find_candidate,
)
from kvds_desktop.services.candidates.validation import EDITABLE_FIELDS, FieldProblem, Invalid

__all__ = [
    "EDITABLE_FIELDS",
    "CandidateDetail",
    "CandidateRow",
    "DuplicatePair",
    "FieldProblem",
    "Invalid",
    "add_note",
    "add_pip_version",
    "candidate_detail",
    "candidate_rows",
    "change_status",
    "create_candidate",
    "extend_term",
    "find_candidate",
    "find_duplicates",
    "mark_not_duplicate",
    "merge_candidates",
    "reveal_bsn",
    "save_work_profile",
    "update_candidate",
]
