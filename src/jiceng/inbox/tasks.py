"""The daily ledger reminders: one inbox reminder per due-soon or overdue row per day, for every ledger.

The selection is core's (core.ledgers.reminder_rows); this module only turns it into stored
reminders, addressed to the row's unit and the ledger's remind capability, so every holder of
that capability over the unit (there or above) sees it in their inbox. The key carries the day,
so a second run on the same day creates nothing.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from jiceng.core import ledgers
from jiceng.core.deadlines import Status

from .services import ReminderSpec, reminders_create

SOURCE = "ledger_reminders"


def reminder_key(due: ledgers.Due, today: date) -> str:
    return f"ledger:{due.ledger.key}:{due.row.pk}:{today.isoformat()}"


def ledger_reminders_run(today: date | None = None) -> dict:
    """Create today's reminders (idempotent); returns how many rows were due and how many reminders were new."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        specs = []
        for due in ledgers.reminder_rows(today):
            values = {"ledger": due.ledger.label, "unit": due.row.unit.name, "row": due.row, "due": due.row.due_on}
            if due.status is Status.OVERDUE:
                title = _("Overdue: %(ledger)s, %(unit)s, %(row)s (due %(due)s)") % values
            else:
                title = _("Due soon: %(ledger)s, %(unit)s, %(row)s (due %(due)s)") % values
            specs.append(ReminderSpec(
                unit_id=due.row.unit_id, action=due.ledger.remind_capability, kind=f"ledger.{due.status.value}",
                title=title, key=reminder_key(due, today), body=due.deadline.explain(),
                url=reverse("core:ledger_overdue") if due.status is Status.OVERDUE else "", due=due.row.due_on,
            ))
        created = reminders_create(specs=specs, source=SOURCE) if specs else []
    return {"rows": len(specs), "created": len(created)}


@task()
def ledger_reminders() -> dict:
    """The daily task (registered from InboxConfig.ready())."""
    return ledger_reminders_run()
