"""What one inbox line is, whatever produced it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass
class Item:
    """One line of a user's inbox.

    `key` is stable for as long as the thing it tells about does not change (a
    new return of the same submission gets a new key, so it shows as unread
    again). `level` is a Bootstrap colour: danger, warning, info, success.
    """

    key: str
    kind: str
    title: str
    body: str = ""
    url: str = ""
    when: datetime | date | None = None
    due: date | None = None
    level: str = "info"
    unread: bool = True

    @property
    def sort_key(self):
        when = self.when
        if isinstance(when, datetime):
            stamp = when.timestamp()
        elif isinstance(when, date):
            stamp = datetime(when.year, when.month, when.day).timestamp()
        else:
            stamp = 0.0
        return (not self.unread, -stamp)
