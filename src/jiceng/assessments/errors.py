"""The refusals of the workflow that carry more than a message."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """A save based on a stale version (optimistic locking): nothing was written.

    `current` holds what is stored now (version, status, marks of the level the
    caller was editing), so the page can show the other person's values.
    """

    def __init__(self, message: str, *, current: dict):
        super().__init__(message, code="conflict")
        self.current = current


class Incomplete(ValidationError):
    """A submission or review that cannot move on yet; `missing` lists what is missing, one line each."""

    def __init__(self, message: str, *, missing: list[str]):
        super().__init__([message, *missing], code="incomplete")
        self.missing = missing
