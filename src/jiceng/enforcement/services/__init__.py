"""The enforcement use cases, one function each (re-exported here: `from jiceng.enforcement import services`)."""

from .clues import clue_close, clue_feedback, clue_register, clue_supervise, clue_supervision_answer, clue_update  # noqa: F401
