"""Grid work: grids and workers, residents, logs, surveys, grades and dismissals (issue 15, seed 004)."""

from .grading import Complaint, DismissalCase, DismissalState, Grade, GradeKind, GradeStatus  # noqa: F401
from .grids import (  # noqa: F401
    Absence,
    Appointment,
    AreaKind,
    Certificate,
    GridProfile,
    GridWorker,
    PayBasis,
    PoolEntry,
    TwoCommitteesPost,
)
from .people import SENSITIVE_CATEGORIES, Category, Household, Resident, ResidentCategory  # noqa: F401
from .work import (  # noqa: F401
    Attendance,
    EntryKind,
    LogEntry,
    Matter,
    MatterKind,
    Meeting,
    MeetingLevel,
    Signoff,
    SignoffKind,
    Survey,
    SurveyAnswer,
)
