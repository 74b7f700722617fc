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


# --- the to-do list of the home page ---------------------------------------------------------------------------

# Kinds a source gives to work that waits on the user's decision (a review, an audit, a publication, an
# approval); any other kind with a due date is work due, and a kind without one is news.
WAITING_KINDS = frozenset({"review", "audit", "publish", "approve", "check", "sign"})
RETURNED_KINDS = frozenset({"returned"})
GROUPS = ("overdue", "returned", "due", "waiting", "news")


def group_of(item: Item, today: date) -> str:
    """Which group of the to-do list an item belongs to (one of GROUPS)."""
    if item.kind in RETURNED_KINDS:
        return "returned"
    if item.due is not None and item.due < today:
        return "overdue"
    if item.kind in WAITING_KINDS:
        return "waiting"
    if item.due is not None:
        return "due"
    return "news"


def todo_groups(items: list[Item], today: date) -> dict[str, list[Item]]:
    """{group: items} in GROUPS order, every group present; the work in each ordered by its due date."""
    groups: dict[str, list[Item]] = {name: [] for name in GROUPS}
    for item in items:
        groups[group_of(item, today)].append(item)
    for name in ("overdue", "returned", "due", "waiting"):
        groups[name].sort(key=lambda i: (i.due is None, i.due or today))
    return groups
