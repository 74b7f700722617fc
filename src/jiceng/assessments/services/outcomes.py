"""Vetoes, bonuses, publication of the results and revocation of awards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.models import EventType
from jiceng.core.workflow import Step, hook
from jiceng.org.models import Unit

from .. import marks as marksheet
from .. import schemes
from ..errors import Incomplete
from ..evidence import read_checked
from ..models import (
    Bonus,
    Campaign,
    Level,
    Result,
    Status,
    Submission,
    VetoEvent,
)
from ..workflows import SUBMISSION
from ._common import _audit, _bump, _locked, _need_reason, _require_city, _who
from .events import check_in_period, counts, event_flags

# --- vetoes, bonuses, publication, revocation -----------------------------------------------------------


def veto_register(*, actor, submission: Submission, veto_id: str, occurred_on: date, description: str,
                  evidence=None) -> VetoEvent:
    """Register a veto event (一票否决). After publication it revokes the unit's award (摘牌)."""
    _require_city(actor, submission.campaign.unit)
    with transaction.atomic():
        sub = _locked(submission, None)
        cs = schemes.campaign_scheme(sub.campaign)
        if veto_id not in cs.vetoes:
            raise ValidationError({"veto_id": _("Not a veto of this campaign's scheme.")})
        description = (description or "").strip()
        if not description:
            raise ValidationError({"description": _("Describe the event.")})
        if occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": _("The date lies in the future.")})
        check_in_period(sub.campaign, occurred_on, "occurred_on")
        veto = VetoEvent(submission=sub, veto_id=veto_id, occurred_on=occurred_on, description=description,
                         registered_by_name=_who(actor))
        if evidence is not None:
            data, kind, digest = read_checked(evidence, "evidence")
            veto.evidence_type, veto.evidence_sha256 = kind, digest
            veto.evidence.save(digest, ContentFile(data), save=False)
        veto.save()
        _bump(sub)
        _audit(EventType.ASSESSMENT_VETO, actor=actor, subject=sub, reason=description,
               after={"veto": veto_id, "date": occurred_on, "evidence_sha256": veto.evidence_sha256})
        result = Result.objects.select_for_update().filter(submission=sub).first()
        if result is not None and result.awarded:
            _revoke(result, actor=actor, veto=veto,
                    reason=_("Veto after publication (第二十二条): %(text)s — %(description)s")
                    % {"text": cs.vetoes[veto_id].text, "description": description})
        return veto


def bonus_register(*, actor, submission: Submission, bonus_id: str, awarded_on: date, note: str = "") -> Bonus:
    """Register a commendation that adds points (满意站所), before the result is published."""
    _require_city(actor, submission.campaign.unit)
    with transaction.atomic():
        sub = _locked(submission, None)
        cs = schemes.campaign_scheme(sub.campaign)
        if bonus_id not in cs.bonuses:
            raise ValidationError({"bonus_id": _("Not a bonus of this campaign's scheme.")})
        if sub.status == Status.PUBLISHED:
            raise ValidationError(_("The result is published; bonuses can no longer be added."))
        check_in_period(sub.campaign, awarded_on, "awarded_on")
        if sub.bonuses.filter(bonus_id=bonus_id).exists():
            raise ValidationError({"bonus_id": _("This bonus is already registered for this unit.")})
        bonus = Bonus.objects.create(submission=sub, bonus_id=bonus_id, awarded_on=awarded_on, note=note.strip(),
                                     registered_by_name=_who(actor))
        _bump(sub)
        _audit(EventType.ASSESSMENT_BONUS, actor=actor, subject=sub, reason=note,
               after={"bonus": bonus_id, "date": awarded_on})
        return bonus


def final_sheet(sub: Submission, cs) -> dict:
    """The marks sheet of the final result: effective scores, approved claims, bonuses, vetoes, flags."""
    claims = list(sub.claims.all())
    marks = list(sub.marks.all())
    by_level = marksheet.scores_by_level(marks)
    return marksheet.sheet(
        cs,
        marksheet.level_scores(by_level, Level.CITY),
        marksheet.no_duty_items(claims, Level.CITY),
        bonuses=[b.bonus_id for b in sub.bonuses.all()],
        vetoes=[v.veto_id for v in sub.vetoes.all()],
        flags=[f.kind for f in sub.flags.all() if counts(f)] + event_flags(sub),
        rates=marksheet.level_rates(marks, Level.CITY),
    )


def _not_ready(sub: Submission) -> str | None:
    if sub.status == Status.PUBLISHED:
        return None
    if sub.needs_audit and sub.status != Status.AUDITED:
        return _("%(unit)s: not audited yet (%(status)s).") % {"unit": sub.unit.name, "status": sub.get_status_display()}
    if sub.status not in (Status.REVIEWED, Status.AUDITED):
        return _("%(unit)s: not reviewed by the county yet (%(status)s).") % {
            "unit": sub.unit.name, "status": sub.get_status_display()}
    return None


def campaign_publish(*, actor, campaign: Campaign, county: Unit | None = None) -> list[Result]:
    """Publish the results of the campaign, or of one county's offices: scored by the engine and frozen.

    Refused while any submission in that scope is not reviewed, or is in the
    audit sample and not audited.
    """
    _require_city(actor, campaign.unit)
    with transaction.atomic():
        qs = Submission.objects.select_for_update().filter(campaign=campaign)
        if county is not None:
            qs = qs.filter(reviewer=county)
        subs = list(qs.select_related("unit", "campaign").order_by("unit__code"))
        if not subs:
            raise ValidationError(_("There is nothing to publish here."))
        problems = [p for p in (_not_ready(s) for s in subs) if p]
        if problems:
            raise Incomplete(_("Publication is refused:"), missing=problems)
        todo = [s for s in subs if s.status != Status.PUBLISHED]
        if not todo:
            raise ValidationError(_("These results are already published."))
        cs = schemes.campaign_scheme(campaign)
        now = timezone.now()
        results = []
        for sub in todo:
            sheet = final_sheet(sub, cs)
            outcome = cs.score(sheet)
            data = outcome.to_dict()
            result = Result.objects.create(
                submission=sub, scheme_id=cs.id, scheme_version=cs.version, scheme_sha256=campaign.scheme_sha256,
                marks=sheet, data=data, total=Decimal(str(outcome.total)), passed=bool(outcome.passed),
                grade=outcome.grade or "", published_by_name=_who(actor), published_at=now,
            )
            sub.campaign = campaign  # its unit is loaded: the capability is checked over it
            # The declared transition `publish`, on the rows locked above (no version: a batch of the city's).
            SUBMISSION.perform(sub, "publish", actor=actor, expected_version=None, locked=True, now=now,
                               audit_after={"total": data["total"], "grade": data["grade"],
                                            "passed": data["passed"], "scheme_sha256": campaign.scheme_sha256})
            results.append(result)
        return results


def _revoke(result: Result, *, actor, reason: str, veto: VetoEvent | None) -> Result:
    result.revoked_at = timezone.now()
    result.revoked_by_name = _who(actor)
    result.revoke_reason = reason
    result.revoking_veto = veto
    result.save(update_fields=["revoked_at", "revoked_by_name", "revoke_reason", "revoking_veto"])
    _audit(EventType.ASSESSMENT_REVOKE, actor=actor, subject=result.submission, reason=reason,
           before={"awarded": True}, after={"awarded": False, "veto": veto.veto_id if veto else None})
    return result


def award_revoke(*, actor, submission: Submission, reason: str) -> Result:
    """Take back an award of the period (摘牌) for a reason other than a registered veto event."""
    _require_city(actor, submission.campaign.unit)
    with transaction.atomic():
        sub = _locked(submission, None)
        reason = _need_reason(reason, _("a revocation must be explained."))
        result = Result.objects.select_for_update().filter(submission=sub).first()
        if result is None or not result.awarded:
            raise ValidationError(_("This unit holds no award of this campaign."))
        _bump(sub)
        return _revoke(result, actor=actor, reason=reason, veto=None)


@hook("assessments.ready_to_publish")
def _ready_to_publish(step: Step) -> None:
    """Reviewed by the county, and audited if it is in the audit sample."""
    problem = _not_ready(step.obj)
    if problem:
        raise ValidationError(problem)
