"""The deadlines of a campaign on a given day: whether the office may still submit, and who is late.

The rules (docs/assessments.md, "Deadlines"):

- A deadline is a date and closes at the end of that day in the bureau's time
  zone (settings.TIME_ZONE, Asia/Shanghai), whatever time zone a request uses.
- Only the office's submission is closed by a deadline: a draft until its
  self-evaluation deadline (the campaign's, or the city's extension for this
  submission), a returned submission until the county review deadline (or the
  city's extension, which for a returned submission may reach the audit
  deadline; see `Submission.submit_deadline`). Saving a draft stays open.
- The county review and city audit deadlines never block anyone: blocking the
  county would punish the office for the county's lateness. A submission
  waiting past them is shown as overdue (逾期).

Services ask `submit_closed`, pages and queues ask `overdue`; templates only
show what these return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jiceng.core.deadlines import Deadline

from .models import Status, Submission


def local_today() -> date:
    """Today in the bureau's time zone (settings.TIME_ZONE), not the one a request may have activated."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def submit_closed(sub: Submission, today: date | None = None) -> str | None:
    """Why the office can no longer submit `sub` today, naming the deadline; None while it may."""
    if sub.status not in (Status.DRAFT, Status.RETURNED):
        return None
    deadline = sub.submit_deadline
    if (today or local_today()) <= deadline:
        return None
    if sub.status == Status.RETURNED:
        if sub.submit_deadline_extended:
            return _(
                "Resubmitting closed at the end of %(date)s (the city bureau's extension). You can still save "
                "your changes; ask the city bureau for a further extension (延期) if you need more time."
            ) % {"date": f"{deadline:%Y-%m-%d}"}
        return _(
            "Resubmitting closed at the end of %(date)s (the county review deadline, which applies to a "
            "returned submission). You can still save your changes; ask the city bureau for an extension (延期) "
            "if you need more time."
        ) % {"date": f"{deadline:%Y-%m-%d}"}
    return _(
        "The self-evaluation deadline was %(date)s: submitting closed at the end of that day. You can still "
        "save your draft; ask the city bureau for an extension (延期) if you need more time."
    ) % {"date": f"{deadline:%Y-%m-%d}"}


# Who has to act at each stage, and the label of its deadline.
STAGES = {
    "self": gettext_lazy("self-evaluation"),
    "review": gettext_lazy("county review"),
    "audit": gettext_lazy("city audit"),
}


@dataclass(frozen=True)
class Overdue:
    """A submission waiting past the deadline of the stage it is in."""

    stage: str  # "self", "review" or "audit"
    deadline: date
    days: int

    @property
    def stage_label(self) -> str:
        return str(STAGES[self.stage])

    @property
    def clock(self) -> Deadline:
        """The stage deadline as the kit's value: a set date, with its explanation (core.deadlines)."""
        return Deadline.fixed_on(self.deadline, self.stage_label)

    @property
    def explanation(self) -> str:
        return self.clock.explain()

    @property
    def text(self) -> str:
        return ngettext("%(stage)s deadline %(date)s passed %(days)s day ago",
                        "%(stage)s deadline %(date)s passed %(days)s days ago", self.days) % {
            "stage": self.stage_label, "date": f"{self.deadline:%Y-%m-%d}", "days": self.days}


def overdue(sub: Submission, today: date | None = None) -> Overdue | None:
    """The stage `sub` is late in today, if any: the office's submission, the county's review, the audit."""
    today = today or local_today()
    campaign = sub.campaign
    if sub.status in (Status.DRAFT, Status.RETURNED):
        stage, deadline = "self", sub.submit_deadline
    elif sub.status == Status.SUBMITTED:
        stage, deadline = "review", campaign.review_deadline
    elif sub.status == Status.REVIEWED and sub.needs_audit:
        stage, deadline = "audit", campaign.audit_deadline
    else:
        return None  # audited or reviewed without audit: waiting for publication, which has no deadline
    if today <= deadline:
        return None
    return Overdue(stage, deadline, (today - deadline).days)
