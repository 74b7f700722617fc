"""The two errors the engine raises: a bad scheme, or bad marks."""

from __future__ import annotations


class SchemeError(ValueError):
    """A scheme file is malformed; the message names the file, place and reason."""

    def __init__(self, file: str, place: str, reason: str) -> None:
        self.file = file
        self.place = place
        self.reason = reason
        super().__init__(f"{file}: {place}: {reason}")


class MarksError(ValueError):
    """Marks do not fit the scheme; ``item`` names the offending id when there is one."""

    def __init__(self, message: str, item: str | None = None) -> None:
        self.item = item
        super().__init__(message)
