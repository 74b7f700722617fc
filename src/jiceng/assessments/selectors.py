"""Reads of campaigns and submissions; every one takes the user and goes through the scoped query sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from jiceng.accounts.models import User
from jiceng.core.capabilities import VIEW
from jiceng.core.models import AuditEvent
from jiceng.core.refusals import get_allowed_or_404
from jiceng.core.scoping import holds

from . import deadlines, schemes
from . import marks as marksheet
from .models import AUDIT, PUBLISH, REVIEW, SELF_ASSESS, Campaign, Level, Result, Status, Submission

STAGES = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REVIEWED, Status.AUDITED, Status.PUBLISHED]


def campaigns_for(user):
    """Campaigns the user runs, or in which they can see at least one submission."""
    q = Q(pk__in=Submission.objects.restrict(user, VIEW).values("campaign"))
    q |= Q(pk__in=Campaign.objects.restrict(user, PUBLISH).values("pk"))
    return Campaign.objects.filter(q).select_related("unit").annotate(participants=Count("submissions"))


def can_run(user, campaign: Campaign) -> bool:
    return holds(user, PUBLISH, campaign.unit)


def submissions_for(user, campaign: Campaign, *, only: str = ""):
    """The campaign's submissions the user can see (`only`: "review" or "audit" for the user's queue)."""
    qs = Submission.objects.filter(campaign=campaign)
    if only == "review":
        qs = qs.restrict(user, REVIEW)
    elif only == "audit":
        qs = qs.restrict(user, AUDIT).filter(needs_audit=True)
    else:
        qs = qs.restrict(user, VIEW)
    return (qs.select_related("campaign", "unit", "reviewer", "auditor", "result")
            .order_by("reviewer__code", "unit__code"))


WAITING = {"review": Status.SUBMITTED, "audit": Status.REVIEWED}


def queue_for(user, campaign: Campaign, which: str, *, everything: bool = False):
    """The user's 待考评 / 待审核 queue: only the submissions waiting for them (submitted for review, reviewed
    for audit), or with `everything` the whole queue including drafts and those already done."""
    qs = submissions_for(user, campaign, only=which)
    return qs if everything else qs.filter(status=WAITING[which])


def overdue(sub: Submission) -> deadlines.Overdue | None:
    """The stage this submission is late in today (the bureau's day), if any (deadlines.overdue)."""
    return deadlines.overdue(sub, deadlines.local_today())


def overdue_of(subs) -> dict[int, deadlines.Overdue]:
    """{submission pk: Overdue} for the late ones among `subs` (a queue, a page of a campaign's list)."""
    today = deadlines.local_today()
    late = {}
    for sub in subs:
        found = deadlines.overdue(sub, today)
        if found is not None:
            late[sub.pk] = found
    return late


@dataclass(frozen=True)
class SubmitWindow:
    """What the office's form says about its deadline: the last day, an extension, and why submitting is closed."""

    deadline: object
    campaign_deadline: object
    extended: bool
    extension_reason: str
    returned: bool
    closed: str | None


def submit_window(sub: Submission) -> SubmitWindow:
    return SubmitWindow(
        deadline=sub.submit_deadline,
        campaign_deadline=sub.campaign_submit_deadline,
        extended=sub.submit_deadline_extended,
        extension_reason=sub.extension_reason,
        returned=sub.status == Status.RETURNED,
        closed=deadlines.submit_closed(sub, deadlines.local_today()),
    )


@dataclass
class CountyProgress:
    county: str
    code: str
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    passed: int = 0

    @property
    def legend(self) -> str:
        return " · ".join(f"{label} {n}" for _stage, label, n, _pct, _off in self.bars if n)

    @property
    def bars(self) -> list[tuple[str, str, int, float, float]]:
        """(stage, label, count, percent, offset percent) for the stacked SVG bar (CSP forbids inline styles)."""
        out, offset = [], 0.0
        for stage in STAGES:
            n = self.counts.get(stage, 0)
            pct = 100 * n / self.total if self.total else 0.0
            out.append((stage, Status(stage).label, n, round(pct, 2), round(offset, 2)))
            offset += pct
        return out


def progress(user, campaign: Campaign) -> list[CountyProgress]:
    """Counts per county and stage, and how many reached the standard: one query whatever the number of offices."""
    rows = (
        Submission.objects.restrict(user, VIEW)
        .filter(campaign=campaign)
        .values("reviewer__name", "reviewer__code", "status")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(result__passed=True, result__revoked_at__isnull=True)))
        .order_by("reviewer__code", "status")
    )
    by_county: dict[str, CountyProgress] = {}
    for row in rows:
        entry = by_county.setdefault(row["reviewer__code"], CountyProgress(row["reviewer__name"], row["reviewer__code"]))
        entry.counts[row["status"]] = row["n"]
        entry.total += row["n"]
        entry.passed += row["passed"]
    return list(by_county.values())


@dataclass
class TargetProgress:
    due: object
    share: Decimal
    reached: int
    total: int

    @property
    def achieved(self) -> float:
        return self.reached / self.total if self.total else 0.0

    @property
    def met(self) -> bool:
        return self.total > 0 and Decimal(self.reached) >= self.share * self.total

    @property
    def pending(self) -> bool:
        """Not met yet, and its date not passed: "not due yet", not "not met"."""
        return not self.met and self.due >= timezone.localdate()


def targets(user, campaign: Campaign) -> tuple[list[TargetProgress], int, int]:
    """Each dated target against the share of offices holding the standard at that date, and the share now.

    An office counts at a date when its result was published by the end of
    that day as 达标 and had not been revoked by then. One query.
    """
    base = Submission.objects.restrict(user, VIEW).filter(campaign=campaign)
    due_dates = list(campaign.targets.values_list("due", "share"))
    aggregates = {"total": Count("pk"), "now": Count("pk", filter=Q(result__passed=True,
                                                                     result__revoked_at__isnull=True))}
    for i, (due, _share) in enumerate(due_dates):
        end = timezone.make_aware(datetime.combine(due, time.max))
        aggregates[f"t{i}"] = Count(
            "pk",
            filter=Q(result__passed=True, result__published_at__lte=end)
            & (Q(result__revoked_at__isnull=True) | Q(result__revoked_at__gt=end)),
        )
    figures = base.aggregate(**aggregates)
    out = [TargetProgress(due, share, figures[f"t{i}"], figures["total"]) for i, (due, share) in enumerate(due_dates)]
    return out, figures["now"], figures["total"]


@dataclass
class ItemLine:
    row: schemes.Row
    marks: dict = field(default_factory=dict)  # level -> ItemMark
    claim: object = None
    evidence: list = field(default_factory=list)
    effective: Decimal | None = None


def item_lines(sub: Submission, cs) -> list[ItemLine]:
    """The scheme's rows with every level's mark, the claim and the evidence of each item (three queries)."""
    by_item: dict[str, ItemLine] = {}
    lines = []
    for row in schemes.rows(cs):
        line = ItemLine(row)
        lines.append(line)
        if row.kind == "item":
            by_item[row.id] = line
    for mark in sub.marks.all():
        if mark.item_id in by_item:
            by_item[mark.item_id].marks[mark.level] = mark
    for claim in sub.claims.all():
        if claim.item_id in by_item:
            by_item[claim.item_id].claim = claim
    for evidence in sub.evidence.all():
        if evidence.item_id in by_item:
            by_item[evidence.item_id].evidence.append(evidence)
    for line in by_item.values():
        for level in (Level.CITY, Level.COUNTY):
            mark = line.marks.get(level)
            if mark is not None and mark.score is not None:
                line.effective = mark.score
                break
    return lines


def live_scores(sub: Submission, cs) -> dict[str, object]:
    """What the engine says now at each level, scoring missing items as 0 (partial sheets)."""
    claims = list(sub.claims.all())
    by_level = marksheet.scores_by_level(sub.marks.all())
    out = {}
    for level in (Level.SELF, Level.COUNTY, Level.CITY):
        scores = marksheet.level_scores(by_level, level)
        na = marksheet.no_duty_items(claims, level)
        if not scores and not na:
            continue
        out[level] = cs.score(marksheet.sheet(cs, scores, na), partial=True)
    return out


def timeline(sub: Submission, item: str = ""):
    """Who changed what on this submission, newest first; with `item`, only events touching that item."""
    # Refused attempts are on the audit administrator's trail, not in the unit's history of changes.
    events = (
        AuditEvent.objects.filter(object_type="assessments.submission", object_id=str(sub.pk))
        .exclude(outcome="denied")
        .order_by("-seq")
    )
    events = list(events) if not item else [e for e in events if item in (e.details or {}).get("items", [])]
    # People's names, not login names (one query): the trail keeps the login name it recorded.
    names = dict(User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id})
                 .values_list("pk", "full_name"))
    for e in events:
        e.person = names.get(e.actor_id) or e.actor_name
    return events


def result_of(sub: Submission) -> Result | None:
    return getattr(sub, "result", None) if sub.status == Status.PUBLISHED else None


def campaign_or_404(user, pk: int, action: str = "view") -> Campaign:
    """A campaign the user runs or takes part in; the same 404 for "not found" and "not yours", recorded."""
    return get_allowed_or_404(campaigns_for(user), Campaign.objects.all(), user, action, pk=pk)


# The queryset methods' names that views still pass, and the capability each stands for.
_ACTION_OF = {"visible_to": VIEW, "self_assessable_by": SELF_ASSESS, "reviewable_by": REVIEW, "auditable_by": AUDIT}


def submission_or_404(user, pk: int, how: str = VIEW) -> Submission:
    """One submission open to `user` for `how` (a capability, or the name of a scoped queryset method);
    the same 404 for "not found" and "not yours", recorded as a refusal of that capability."""
    action = _ACTION_OF.get(how, how)
    base = Submission.objects.select_related("campaign", "campaign__unit", "unit", "reviewer", "auditor")
    return get_allowed_or_404(base.restrict(user, action), Submission.objects.all(), user, action, pk=pk)


def publication_preview(user, campaign: Campaign, county=None) -> tuple[list[Submission], list[Submission]]:
    """What publishing (the campaign, or one county's offices) would do: the submissions it would publish, and
    those that hold it back (not reviewed yet, or in the audit sample and not audited). The confirmation page."""
    qs = submissions_for(user, campaign).exclude(status=Status.PUBLISHED)
    if county is not None:
        qs = qs.filter(reviewer=county)
    ready, waiting = [], []
    for sub in qs:
        done = sub.status == Status.AUDITED or (sub.status == Status.REVIEWED and not sub.needs_audit)
        (ready if done else waiting).append(sub)
    return ready, waiting


def office_scores_to_accept(sub: Submission, cs, only: str | None = None) -> dict[str, dict]:
    """The county's "accept the office's score": {item: {"score": the office's score}} for `only` that item, or
    for every item the county has not scored yet; items without an office score (or claimed as no-duty) are
    left out. The caller saves them with services.review_save like typed scores."""
    by_level = marksheet.scores_by_level(sub.marks.all())
    own = marksheet.level_scores(by_level, Level.SELF)
    county = marksheet.level_scores(by_level, Level.COUNTY)
    claimed = {c.item_id for c in sub.claims.all()}
    wanted = [only] if only else [i for i in cs.ids if i not in county]
    return {i: {"score": own[i]} for i in wanted if i in own and own[i] is not None and i not in claimed}
