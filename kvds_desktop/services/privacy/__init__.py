"""Privacy: data-subject requests (export, erasure) and the retention run.

- :mod:`.reach`: which rows are about one candidate, read from the schema.
- :mod:`.subject`: everything about one candidate, as JSON or PDF, audited.
- :mod:`.erase`: erasing a candidate and their traces in the audit trail.
- :mod:`.retention`: periods per category of data, the plan and the run.
"""

from kvds_desktop.services.privacy.erase import ErasureResult, erase_candidate
from kvds_desktop.services.privacy.retention import (
    CATEGORIES,
    DEFAULT_PERIODS,
    RetentionPeriods,
    RetentionPlan,
    RetentionResult,
    apply_retention,
    plan_retention,
)
from kvds_desktop.services.privacy.subject import (
    SubjectExport,
    export_subject_file,
    subject_export,
    subject_json,
    write_subject_json,
    write_subject_pdf,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_PERIODS",
    "ErasureResult",
    "RetentionPeriods",
    "RetentionPlan",
    "RetentionResult",
    "SubjectExport",
    "apply_retention",
    "erase_candidate",
    "export_subject_file",
    "plan_retention",
    "subject_export",
    "subject_json",
    "write_subject_json",
    "write_subject_pdf",
]
