"""Plain-language headings of the kinds of data in a data-subject export.

Every table about a candidate needs an entry here; a test fails when a table with a
foreign key to ``candidate`` has none, so a new kind of data is never printed without
saying what it is.
"""

from __future__ import annotations

from kvds_desktop.errors import N_

# table: (heading, explanation); message ids, translated when printed
HEADINGS: dict[str, tuple[str, str]] = {
    "candidate": (
        N_("Your personal details"),
        N_("Name, contact details, BSN, municipality and your integration route."),
    ),
    "candidate_status_change": (
        N_("Your status over time"),
        N_("Each change of your status in the programme."),
    ),
    "pip_version": (
        N_("Your personal plan (PIP)"),
        N_("The versions of your Persoonlijk Plan Inburgering en Participatie."),
    ),
    "term_extension": (
        N_("Extensions of your integration term"),
        N_("Each extension of your term, with its reason."),
    ),
    "candidate_note": (N_("Notes about you"), N_("Notes written in your file.")),
    "work_profile": (
        N_("Your work profile"),
        N_("Availability, travel, education and work experience for matching."),
    ),
    "import_baseline": (
        N_("Values from the municipality's system"),
        N_("The values of your record in the last file from the municipality."),
    ),
    "not_duplicate": (
        N_("Records checked as different people"),
        N_("Another record was confirmed not to be you (that person is not shown)."),
    ),
    "attendance_mark": (
        N_("Your attendance"),
        N_("Present, absent or late per lesson, with reasons and notes."),
    ),
    "attendance_month": (
        N_("Your attendance per month"),
        N_("Your attendance marks added up per month and status."),
    ),
    "mark_fact": (
        N_("Attendance received from teachers"),
        N_("Marks as they arrived in files from teachers."),
    ),
    "mark_conflict": (
        N_("Disagreeing attendance marks"),
        N_("Lessons where two sources gave different marks, and the decision."),
    ),
    "assessment": (N_("Your Dutch language levels"), N_("Each level measured per skill.")),
    "exam_part": (N_("Your exam parts"), N_("The exam parts you must do, and any exemption.")),
    "exam_attempt": (N_("Your exam attempts"), N_("Each attempt at an exam part and its result.")),
    "module_progress": (N_("Your progress in modules"), N_("Progress on MAP, ONA and PVT items.")),
    "group_membership": (N_("Your groups"), N_("The groups you were a member of, and when.")),
    "signal_sent": (
        N_("Attendance signals"),
        N_("Signals about your attendance sent to your klantmanager."),
    ),
    "match_decision": (
        N_("Decisions on work matches"),
        N_("Jobs and places proposed to you, and the decision."),
    ),
    "employer_consent": (
        N_("Your consent to share your profile"),
        N_("Organisations you allowed to see your work profile."),
    ),
    "placement": (N_("Your placements"), N_("Work, volunteer and training placements.")),
    "placement_step": (N_("Steps of your placements"), N_("Each step of a placement.")),
    "ladder_step": (N_("Your participation ladder"), N_("Your step on the ladder over time.")),
    "outflow": (N_("Leaving the programme"), N_("When and where to you left the programme.")),
    "outflow_follow_up": (
        N_("Follow-up after leaving"),
        N_("Checks at 1, 3, 6 and 12 months after you left."),
    ),
    "audit_entry": (
        N_("Changes to your records"),
        N_("Who changed what in your records, and when (the audit trail)."),
    ),
}

UNKNOWN_HEADING = (N_("Other records"), N_("Records about you of another kind."))
