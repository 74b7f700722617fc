"""Writes of the inbox: reminders (from background jobs) and read marks (from the user).

Reminders are created by jobs acting as "system": one transaction per batch,
with one audit record listing what was created. Read marks are a user's own
reading state, not business data, and are not put on the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from jiceng.core import audit
from jiceng.core.models import EventType

from .models import ReadMark, Reminder
from .selectors import reminder_actions


@dataclass(frozen=True)
class ReminderSpec:
    """A reminder to create unless one with the same key exists."""

    unit_id: int
    action: str
    kind: str
    title: str
    key: str
    body: str = ""
    url: str = ""
    due: date | None = None


def reminders_create(*, actor=None, specs: list[ReminderSpec], source: str) -> list[Reminder]:
    """Create the reminders not created before (by key); returns the new ones. Idempotent."""
    unknown = sorted({s.action for s in specs} - set(reminder_actions()))
    if unknown:
        raise ValidationError({"action": f"no role is reminded of {', '.join(unknown)}"})
    with transaction.atomic():
        keys = [s.key for s in specs]
        existing = set(Reminder.objects.filter(key__in=keys).values_list("key", flat=True))
        fresh = [s for s in {s.key: s for s in specs}.values() if s.key not in existing]
        if not fresh:
            return []
        created = Reminder.objects.bulk_create(
            [Reminder(unit_id=s.unit_id, action=s.action, kind=s.kind, title=s.title[:200], body=s.body,
                      url=s.url[:200], due=s.due, key=s.key) for s in fresh],
            # Two jobs racing: the loser's duplicates are skipped by the unique key.
            ignore_conflicts=True,
        )
        audit.record(EventType.CREATE, actor=actor, actor_name=None if actor else "system",
                     details={"kind": "inbox.reminders", "source": source, "created": len(created),
                              "keys": [s.key for s in fresh][:500]})
        return created


def mark_read(*, user, keys: list[str]) -> int:
    """Mark these inbox items read for `user`; returns how many were newly marked."""
    keys = sorted({k for k in keys if k})[:1000]
    if not keys:
        return 0
    with transaction.atomic():
        already = set(ReadMark.objects.filter(user=user, key__in=keys).values_list("key", flat=True))
        new = [ReadMark(user=user, key=k) for k in keys if k not in already]
        ReadMark.objects.bulk_create(new, ignore_conflicts=True)
        return len(new)
