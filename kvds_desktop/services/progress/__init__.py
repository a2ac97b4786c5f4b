"""Language progress: assessments, targets, forecasts and progress summaries.

Everything the Voortgang page and the ``kvds assess`` / ``kvds progress`` commands need.
Rows handed out are plain frozen dataclasses; every assessment is validated, written in
one transaction and audited. The submodules can be imported by name; the package
re-exports the public names of :mod:`.levels` and :mod:`.summary`.
"""

from kvds_desktop.services.progress.levels import (
    AssessmentRow,
    assessment_history,
    delete_assessment,
    instrument_code,
    latest_levels,
    level_code,
    record_assessment,
    record_assessments,
    skill_code,
)
from kvds_desktop.services.progress.summary import (
    CandidateProgress,
    GroupProgress,
    candidate_progress,
    export_row,
    group_progress,
    progress_rows,
)

__all__ = [
    "AssessmentRow",
    "CandidateProgress",
    "GroupProgress",
    "assessment_history",
    "candidate_progress",
    "delete_assessment",
    "export_row",
    "group_progress",
    "instrument_code",
    "latest_levels",
    "level_code",
    "progress_rows",
    "record_assessment",
    "record_assessments",
    "skill_code",
]
