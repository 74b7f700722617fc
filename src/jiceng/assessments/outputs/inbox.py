"""Inbox items read from the state of the assessment workflow, and the deadline reminders it sends.

Derived (inbox.sources calls `items_for`): for an office, its submissions due
(draft or returned, with the deadline), a return with its reason, a published
result, a revoked award; for a county, the submissions awaiting its review;
for the auditing unit, those awaiting audit (one line per campaign); for a county, the
offices late with their self-evaluation; for the organiser, the results ready to
publish. Six queries whatever the number of submissions.

Stored (`deadline_reminders`, run by the `remind` background task): a
reminder before each deadline to whoever has to act, created once per
submission (or per campaign and reviewing unit) and deadline.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.inbox.items import Item
from jiceng.inbox.services import ReminderSpec

from ..models import AUDIT, PUBLISH, REVIEW, SELF_ASSESS, Campaign, Status, Submission
from .common import number


def _detail(pk: int) -> str:
    return reverse("assessments:submission_detail", args=[pk])


def _office_items(user) -> list[Item]:
    items = []
    today = timezone.localdate()
    subs = (
        Submission.objects.self_assessable_by(user)
        .filter(status__in=[Status.DRAFT, Status.RETURNED, Status.PUBLISHED])
        .select_related("campaign", "unit", "result")
    )
    for sub in subs:
        deadline = sub.submit_deadline  # the city's extension, or the review deadline after a return
        if sub.status == Status.RETURNED:
            items.append(Item(
                key=f"assessments.returned:{sub.pk}:{sub.returned_at:%Y%m%d%H%M%S%f}" if sub.returned_at
                else f"assessments.returned:{sub.pk}",
                kind="returned", level="danger", url=reverse("assessments:submission_self", args=[sub.pk]),
                title=_("Returned by the county: %(unit)s · %(campaign)s") % {"unit": sub.unit.name,
                                                                           "campaign": sub.campaign.name},
                body=sub.return_reason, when=sub.returned_at, due=deadline))
        elif sub.status == Status.DRAFT:
            overdue = deadline < today
            items.append(Item(
                key=f"assessments.due:{sub.pk}:{deadline:%Y%m%d}", kind="due",
                level="danger" if overdue else "warning", url=reverse("assessments:submission_self", args=[sub.pk]),
                title=(_("Self-evaluation overdue since %(date)s: %(unit)s · %(campaign)s") if overdue
                       else _("Self-evaluation due by %(date)s: %(unit)s · %(campaign)s"))
                % {"date": f"{deadline:%Y-%m-%d}", "unit": sub.unit.name, "campaign": sub.campaign.name},
                when=sub.campaign.created_at, due=deadline))
        result = getattr(sub, "result", None) if sub.status == Status.PUBLISHED else None
        if result is None:
            continue
        items.append(Item(
            key=f"assessments.result:{sub.pk}", kind="result", level="success" if result.passed else "info",
            url=_detail(sub.pk), when=result.published_at,
            title=_("Result published: %(unit)s · %(grade)s, total %(total)s") % {
                "unit": sub.unit.name, "grade": result.grade, "total": number(result.total)},
            body=sub.campaign.name))
        if result.revoked_at:
            items.append(Item(
                key=f"assessments.revoked:{sub.pk}", kind="revoked", level="danger", url=_detail(sub.pk),
                when=result.revoked_at, title=_("Award revoked (摘牌): %(unit)s") % {"unit": sub.unit.name},
                body=result.revoke_reason))
    return items


def _queue_items(user) -> list[Item]:
    items = []
    queues = (
        ("review", Submission.objects.reviewable_by(user).filter(status=Status.SUBMITTED), "review_deadline",
         "submitted_at", "assessments:review_queue",
         _("%(n)s submissions await your review by %(date)s · %(campaign)s")),
        ("audit", Submission.objects.auditable_by(user).filter(status=Status.REVIEWED, needs_audit=True),
         "audit_deadline", "reviewed_at", "assessments:audit_queue",
         _("%(n)s submissions await your audit by %(date)s · %(campaign)s")),
    )
    for kind, qs, deadline_field, arrived_field, route, text in queues:
        rows = (qs.values("campaign", "campaign__name", f"campaign__{deadline_field}")
                .annotate(n=Count("pk"), latest=Max(arrived_field)).order_by("campaign"))
        for row in rows:
            deadline = row[f"campaign__{deadline_field}"]
            # A new arrival in the queue changes the key, so the line shows as unread again.
            latest = f"{row['latest']:%Y%m%d%H%M%S%f}" if row["latest"] else ""
            items.append(Item(
                key=f"assessments.{kind}:{row['campaign']}:{row['n']}:{latest}", kind=kind,
                level="danger" if deadline < timezone.localdate() else "warning",
                url=reverse(route, args=[row["campaign"]]), due=deadline,
                title=text % {"n": row["n"], "date": f"{deadline:%Y-%m-%d}", "campaign": row["campaign__name"]}))
    return items


def _late_offices(user) -> list[Item]:
    """For a reviewing county: per campaign, the offices whose self-evaluation deadline has passed unsubmitted."""
    today = timezone.localdate()
    late = (Submission.objects.reviewable_by(user).filter(status=Status.DRAFT, campaign__self_deadline__lt=today)
            .filter(Q(self_deadline_extended_to__isnull=True) | Q(self_deadline_extended_to__lt=today)))
    rows = (late.values("campaign", "campaign__name", "campaign__self_deadline")
            .annotate(n=Count("pk")).order_by("campaign"))
    return [Item(
        key=f"assessments.late:{row['campaign']}:{row['n']}", kind="late", level="danger",
        url=reverse("assessments:campaign_detail", args=[row["campaign"]]), due=row["campaign__self_deadline"],
        title=_("%(n)s offices have not submitted their self-evaluation, due %(date)s · %(campaign)s") % {
            "n": row["n"], "date": f"{row['campaign__self_deadline']:%Y-%m-%d}", "campaign": row["campaign__name"]})
        for row in rows]


def _publish_items(user) -> list[Item]:
    """For the organiser: per campaign, the results ready to publish (reviewed and not sampled, or audited)."""
    ready = (Submission.objects.filter(campaign__in=Campaign.objects.restrict(user, PUBLISH))
             .filter(Q(status=Status.AUDITED) | Q(status=Status.REVIEWED, needs_audit=False)))
    rows = ready.values("campaign", "campaign__name").annotate(n=Count("pk")).order_by("campaign")
    return [Item(
        key=f"assessments.publish:{row['campaign']}:{row['n']}", kind="publish", level="info",
        url=reverse("assessments:campaign_detail", args=[row["campaign"]]),
        title=_("%(n)s results are ready to publish · %(campaign)s") % {"n": row["n"],
                                                                        "campaign": row["campaign__name"]})
        for row in rows]


def items_for(user) -> list[Item]:
    """The assessment workflow's inbox items for `user` (inbox.sources)."""
    return _office_items(user) + _queue_items(user) + _late_offices(user) + _publish_items(user)


# --- reminders before the deadlines --------------------------------------------------------------------------


def deadline_reminders(today: date, days: int) -> list[ReminderSpec]:
    """One reminder per submission (self-evaluation) or per campaign and unit (review, audit) due within `days`."""
    until = today + timedelta(days=days)
    specs: list[ReminderSpec] = []
    # The office's own last day (Submission.submit_deadline): an extension, or the review deadline after a return.
    due_self = (Submission.objects.filter(status__in=[Status.DRAFT, Status.RETURNED])
                .filter(Q(campaign__self_deadline__range=(today, until))
                        | Q(self_deadline_extended_to__range=(today, until))
                        | Q(status=Status.RETURNED, campaign__review_deadline__range=(today, until)))
                .select_related("campaign", "unit"))
    for sub in due_self:
        deadline = sub.submit_deadline
        if not today <= deadline <= until:
            continue
        specs.append(ReminderSpec(
            unit_id=sub.unit_id, action=SELF_ASSESS, kind="deadline", due=deadline,
            key=f"assessments.remind.self:{sub.pk}:{deadline:%Y%m%d}",
            url=reverse("assessments:submission_self", args=[sub.pk]),
            title=_("Reminder: the self-evaluation of %(unit)s is due on %(date)s") % {
                "unit": sub.unit.name, "date": f"{deadline:%Y-%m-%d}"},
            body=sub.campaign.name))
    stages = (
        ("review", Submission.objects.filter(status=Status.SUBMITTED, campaign__review_deadline__range=(today, until)),
         "reviewer", "review_deadline", "assessments:review_queue"),
        ("audit", Submission.objects.filter(status=Status.REVIEWED, needs_audit=True,
                                            campaign__audit_deadline__range=(today, until)),
         "auditor", "audit_deadline", "assessments:audit_queue"),
    )
    for stage, qs, unit_field, deadline_field, route in stages:
        groups: dict[tuple, int] = defaultdict(int)
        names: dict[int, str] = {}
        for campaign_id, unit_id, organiser_id, name, deadline in qs.values_list(
                "campaign", unit_field, "campaign__unit", "campaign__name", f"campaign__{deadline_field}"):
            groups[(campaign_id, unit_id, organiser_id, deadline)] += 1
            names[campaign_id] = name
        for (campaign_id, unit_id, organiser_id, deadline), n in groups.items():
            # The county reviews; the city audits, or another county's reviewers when cross-checking.
            action = REVIEW if stage == "review" or unit_id != organiser_id else AUDIT
            specs.append(ReminderSpec(
                unit_id=unit_id, action=action, kind="deadline", due=deadline,
                key=f"assessments.remind.{stage}:{campaign_id}:{unit_id}:{deadline:%Y%m%d}",
                url=reverse(route, args=[campaign_id]),
                title=(_("Reminder: %(n)s submissions to review by %(date)s") if stage == "review"
                       else _("Reminder: %(n)s submissions to audit by %(date)s"))
                % {"n": n, "date": f"{deadline:%Y-%m-%d}"},
                body=names[campaign_id]))
    return specs
