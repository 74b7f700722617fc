"""The enforcement ledgers: clues (and the 12336 register), officers, cases, documents, spots, monthly reports."""

from .cases import (  # noqa: F401
    ARCHIVE_CHECKLIST,
    COPY_DEPARTMENTS,
    Case,
    CaseDocument,
    CaseState,
    DocumentKind,
    Execution,
    Officer,
    Resource,
    ReviewOutcome,
)
from .clues import CloseReason, Clue, ClueSource, ClueState  # noqa: F401
from .numbers import Counter  # noqa: F401
from .reports import MonthlyReport, ReportKind, ReportState  # noqa: F401
from .spots import Judgment, Spot, SpotBatch  # noqa: F401
