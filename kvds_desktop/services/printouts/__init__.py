"""Printouts: weekly group overviews (the presentielijst), location overviews, schedules.

The data is gathered here from the scheduling and attendance services; the drawing is
done by :mod:`kvds_desktop.reports`, which sees only plain dataclasses. Every function
returns the PDF as bytes; :func:`write_pdf` stores it safely. A long job
(:func:`all_groups_pdf`) reports progress and can be cancelled: it then raises
:class:`Cancelled`.
"""

from kvds_desktop.services.printouts.documents import (
    Cancelled,
    Progress,
    all_groups_pdf,
    candidate_schedule_pdf,
    location_overview_pdf,
    week_overview_pdf,
)
from kvds_desktop.services.printouts.files import check_target, write_pdf
from kvds_desktop.services.printouts.versions import content_hash, printed_version

__all__ = [
    "Cancelled",
    "Progress",
    "all_groups_pdf",
    "candidate_schedule_pdf",
    "check_target",
    "content_hash",
    "location_overview_pdf",
    "printed_version",
    "week_overview_pdf",
    "write_pdf",
]
