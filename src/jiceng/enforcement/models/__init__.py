"""The enforcement ledgers: clues (and the 12336 register), officers, cases, documents, spots, monthly reports."""

from .numbers import Counter  # noqa: F401
from .clues import Clue, ClueSource, ClueState, CloseReason  # noqa: F401
