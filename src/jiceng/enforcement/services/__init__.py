"""The enforcement use cases, one function each (re-exported here: `from jiceng.enforcement import services`)."""

from ..documents import case_document_generate  # noqa: F401,E402
from .cases import (  # noqa: F401
    case_checklist,
    case_extend_decision,
    case_flags,
    case_hearing,
    case_open,
    case_publish,
    case_set_penalty,
    case_step,
    officer_register,
)
from .clues import (  # noqa: F401
    clue_close,
    clue_feedback,
    clue_register,
    clue_supervise,
    clue_supervision_answer,
    clue_update,
)
