"""The tables of the local database, one module per aggregate.

Importing this package registers every table on ``SQLModel.metadata``; the
alembic migrations must describe exactly these tables (a test checks it).
"""

from kvds_desktop.store.models.attendance import AttendanceMark, AttendanceMonth, AttendanceStatus
from kvds_desktop.store.models.audit import AuditEntry
from kvds_desktop.store.models.base import new_uid, utcnow
from kvds_desktop.store.models.candidates import (
    Candidate,
    CandidateNote,
    CandidateStatusChange,
    Klantmanager,
    PipVersion,
    TermExtension,
    WorkProfile,
)
from kvds_desktop.store.models.costs import Assumption, CostEntry
from kvds_desktop.store.models.exchange import ImportBaseline, ImportMapping, NotDuplicate
from kvds_desktop.store.models.offline import DatabaseInfo, MarkConflict, MarkFact, SentPack
from kvds_desktop.store.models.organisation import Location, Provider, Room, Teacher
from kvds_desktop.store.models.progress import Assessment, ExamAttempt, ExamPart, ModuleProgress
from kvds_desktop.store.models.schedule import (
    ActivityKind,
    Closure,
    Group,
    GroupMembership,
    Lesson,
    TimetableSlot,
)
from kvds_desktop.store.models.signals import SignalRule, SignalSent
from kvds_desktop.store.models.users import AppUser
from kvds_desktop.store.models.work import (
    EmployerConsent,
    LadderStep,
    MatchDecision,
    Opportunity,
    Organisation,
    OrganisationContact,
    Outflow,
    OutflowFollowUp,
    Placement,
    PlacementStep,
)

__all__ = [
    "ActivityKind",
    "AppUser",
    "Assessment",
    "Assumption",
    "AttendanceMark",
    "AttendanceMonth",
    "AttendanceStatus",
    "AuditEntry",
    "Candidate",
    "CandidateNote",
    "CandidateStatusChange",
    "Closure",
    "CostEntry",
    "DatabaseInfo",
    "EmployerConsent",
    "ExamAttempt",
    "ExamPart",
    "Group",
    "GroupMembership",
    "ImportBaseline",
    "ImportMapping",
    "Klantmanager",
    "LadderStep",
    "Lesson",
    "Location",
    "MarkConflict",
    "MarkFact",
    "MatchDecision",
    "ModuleProgress",
    "NotDuplicate",
    "Opportunity",
    "Organisation",
    "OrganisationContact",
    "Outflow",
    "OutflowFollowUp",
    "PipVersion",
    "Placement",
    "PlacementStep",
    "Provider",
    "Room",
    "SentPack",
    "SignalRule",
    "SignalSent",
    "Teacher",
    "TermExtension",
    "TimetableSlot",
    "WorkProfile",
    "new_uid",
    "utcnow",
]
