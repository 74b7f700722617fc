"""The base of every ledger row (台账): the same few fields on each, and the stored deadline.

    class Case(LedgerRow):
        subject = models.CharField(...)

A row keeps its deadline as `Deadline.to_json()` in `deadline_data`, and `due_on` equal to
`deadline.due`, so that SQL can filter and count on the due date (core.ledgers) while the
explanation and the stops stay with the row. Set the deadline with `set_deadline`, never
`due_on` by hand.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .deadlines import Deadline, Status
from .models import UnitOwned


class LedgerRow(UnitOwned):
    """Abstract: unit, state, opened_on, due_on, closed_at, version, created_by and the stored deadline."""

    # The states in which a row is still open; a ledger app overrides it (core.ledgers.register takes it too).
    open_states: tuple[str, ...] = ("open",)

    state = models.CharField(_("state"), max_length=30, db_index=True)
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    deadline_data = models.JSONField(_("deadline"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def deadline(self) -> Deadline | None:
        """The stored deadline as a value (None when the row has none)."""
        return Deadline.from_json(self.deadline_data) if self.deadline_data else None

    def set_deadline(self, deadline: Deadline | None) -> None:
        """Store `deadline` and keep `due_on` equal to its due date (None while its clock is stopped)."""
        self.deadline_data = deadline.to_json() if deadline is not None else None
        self.due_on = deadline.due if deadline is not None else None

    def save(self, *args, **kwargs):
        # due_on always follows the stored deadline, whoever wrote deadline_data.
        if self.deadline_data:
            self.due_on = Deadline.from_json(self.deadline_data).due
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "deadline_data" in update_fields and "due_on" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "due_on"]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.state in type(self).open_states

    def deadline_status(self, today: date, cal=None) -> Status | None:
        """GREEN / DUE_SOON / OVERDUE / PAUSED on `today`, or None for a closed row or one without a deadline."""
        deadline = self.deadline
        if deadline is None or not self.is_open:
            return None
        if cal is None:
            from .workdays import calendar

            cal = calendar()
        return deadline.status(cal, today)
