"""Registered events of a campaign (seed 001): 约谈 and 问责 during the period, 黄牌警告 and 诫勉谈话 after it.

约谈 (interviewed) and 问责 (accountability) bite through the scheme's flags of the
same id (final_sheet): 约谈 zeroes 5.7 (扣5分), 问责 bars 优胜. They are refused
when the campaign's scheme has no such flag, and when dated outside the
assessment period (like vetoes and bonuses, seed 000 第十六、十七条). The
consequences of 二、3 — a 黄牌警告 and a 诫勉谈话 of the person responsible — are
registered after publication against a unit whose result is 不合格, each with
its date and document. The reward list of 优胜 is `reward_list`.

The confirmed 数据不实 (`flag_confirm`) makes the flag count whatever the totals;
an automatic flag that only suggests it (items self-scored above what was
verified) never counts before the city confirms it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.models import EventType

from .. import schemes
from ..evidence import read_checked
from ..models import Campaign, CampaignEvent, EventKind, Flag, Result, Status, Submission
from ._common import _audit, _bump, _locked, _need_reason, _require_city, _who

# Events that bite as the scheme's flag of the same id, before publication.
FLAG_EVENTS = (EventKind.INTERVIEWED, EventKind.ACCOUNTABILITY)
# Consequences registered after publication, for a unit that did not pass.
CONSEQUENCES = (EventKind.YELLOW_CARD, EventKind.ADMONITION)


def check_in_period(campaign: Campaign, day: date, field: str) -> None:
    """Refuse a date outside the campaign's assessment period, showing the period (seed 000 第十六、十七条)."""
    if not campaign.period_start <= day <= campaign.period_end:
        raise ValidationError({field: _(
            "%(date)s lies outside the assessment period %(start)s – %(end)s: only events within the period count."
        ) % {"date": f"{day:%Y-%m-%d}", "start": f"{campaign.period_start:%Y-%m-%d}",
             "end": f"{campaign.period_end:%Y-%m-%d}"}})


def event_register(*, actor, submission: Submission, kind: str, occurred_on: date, document: str,
                   description: str, person: str = "", evidence=None) -> CampaignEvent:
    """Register a 约谈, 问责, 黄牌警告 or 诫勉谈话 (the city bureau that runs the campaign)."""
    _require_city(actor, submission.campaign.unit)
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Unknown kind of event.")})
    document = (document or "").strip()
    description = (description or "").strip()
    person = (person or "").strip()
    errors = {}
    if not document:
        errors["document"] = _("Name the document (文号) that records the event.")
    if not description:
        errors["description"] = _("Describe the event.")
    if kind == EventKind.ADMONITION and not person:
        errors["person"] = _("Name the person responsible who is admonished.")
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date lies in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sub = _locked(submission, None)
        cs = schemes.campaign_scheme(sub.campaign)
        if kind in FLAG_EVENTS:
            if kind not in cs.flags:
                raise ValidationError({"kind": _("This campaign's scheme has no rule for this event.")})
            check_in_period(sub.campaign, occurred_on, "occurred_on")
            if sub.status == Status.PUBLISHED:
                raise ValidationError(_("The result is published; this event can no longer change it."))
        else:
            result = Result.objects.filter(submission=sub).first()
            if result is None:
                raise ValidationError({"kind": _("A warning or an admonitory talk follows the published result.")})
            if result.passed:
                raise ValidationError({"kind": _(
                    "Only a unit that failed the assessment (不合格) receives a warning or an admonitory talk.")})
        event = CampaignEvent(submission=sub, kind=kind, occurred_on=occurred_on, document=document,
                              description=description, person=person, registered_by_name=_who(actor))
        if evidence is not None:
            data, ftype, digest = read_checked(evidence, "evidence")
            event.evidence_type, event.evidence_sha256 = ftype, digest
            event.evidence.save(digest, ContentFile(data), save=False)
        event.save()
        _bump(sub)
        _audit(EventType.CREATE, actor=actor, subject=sub, reason=description,
               after={"event": kind, "date": occurred_on, "document": document, "person": person,
                      "evidence_sha256": event.evidence_sha256},
               details={"kind": "assessment.event"})
        return event


def event_flags(sub: Submission) -> list[str]:
    """The scheme flags raised by the submission's registered 约谈 / 问责."""
    return sorted({e.kind for e in sub.events.all() if e.kind in FLAG_EVENTS})


def flag_confirm(*, actor, flag: Flag, reason: str) -> Flag:
    """The city confirms a 数据不实 flag: it then counts (bars 优胜 where the scheme says so) whatever the totals."""
    sub = flag.submission
    _require_city(actor, sub.campaign.unit)
    reason = _need_reason(reason, _("say what the false data were."))
    with transaction.atomic():
        sub = _locked(sub, None)
        flag = Flag.objects.select_for_update().get(pk=flag.pk)
        if sub.status == Status.PUBLISHED:
            raise ValidationError(_("The result is published; the flag can no longer change."))
        if flag.confirmed and flag.active:
            raise ValidationError(_("This flag is already confirmed."))
        before = {"flag": flag.kind, "active": flag.active, "confirmed": flag.confirmed}
        flag.active = True
        flag.confirmed = True
        flag.confirmed_reason = reason
        flag.confirmed_by_name = _who(actor)
        flag.confirmed_at = timezone.now()
        flag.save()
        _bump(sub)
        _audit(EventType.ASSESSMENT_FLAG, actor=actor, subject=sub, reason=reason, before=before,
               after={"flag": flag.kind, "active": True, "confirmed": True})
        return flag


def counts(flag: Flag) -> bool:
    """Whether a flag counts in the result: confirmed, or raised on the total gap (not a mere suggestion)."""
    if not flag.active:
        return False
    return flag.confirmed or (flag.details or {}).get("basis", "total") == "total"


def reward_list(campaign: Campaign) -> list[Result]:
    """The published results of the top grade (优胜), by unit code: the reward list of seed 001 二、3."""
    cs = schemes.campaign_scheme(campaign)
    if not cs.bands:
        return []
    top = cs.bands[0].name
    return list(Result.objects.filter(submission__campaign=campaign, grade=top, revoked_at__isnull=True)
                .select_related("submission__unit").order_by("submission__unit__code"))
