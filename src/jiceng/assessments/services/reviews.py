"""The county's review (scores, claims, return, forward) and the audit, with the false-data flag."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.models import EventType
from jiceng.core.workflow import Step, hook

from .. import marks as marksheet
from .. import schemes
from ..models import (
    Decision,
    Flag,
    FlagKind,
    Level,
    NoDutyClaim,
    Status,
    Submission,
)
from ..workflows import SUBMISSION
from ._common import _audit, _bump, _locked, _need_reason, _require_city, _scoped, _who, _write_marks

# --- the county -----------------------------------------------------------------------------------


def submission_set_pilot(*, actor, submission: Submission, pilot: bool) -> Submission:
    """The county marks a pilot office (试点, seed 000 四(二))."""
    sub = _scoped(actor, submission, "reviewable_by")
    with transaction.atomic():
        sub = _locked(sub, None)
        if sub.pilot == pilot:
            return sub
        sub.pilot = pilot
        sub.save(update_fields=["pilot"])
        _audit(EventType.UPDATE, actor=actor, subject=sub, before={"pilot": not pilot}, after={"pilot": pilot})
        return sub


def _save_level(sub, cs, level: str, items: dict, actor, *, reason: str, claims, below, below_na) -> None:
    """A reviewer's save at `level` (county or city): the marks with one audit record, the claim decisions,
    and a new version if anything changed."""
    before, after = _write_marks(sub, cs, level, items, actor, below=below, below_na=below_na, reason=reason,
                                 reason_needed_for_rescore=True)
    if after:
        _audit(EventType.ASSESSMENT_MARK, actor=actor, subject=sub, reason=reason, before=before, after=after,
               details={"level": level, "items": sorted(after)})
    if _decide_claims(sub, claims, actor=actor, at_audit=level == Level.CITY) or after:
        _bump(sub)


def review_save(*, actor, submission: Submission, expected_version: int, items: dict[str, dict],
                reason: str = "", claims: dict[str, tuple[bool, str]] | None = None) -> Submission:
    """The county's scores and comments beside the office's own, and its decisions on no-duty claims."""
    sub = _scoped(actor, submission, "reviewable_by")
    with transaction.atomic():
        sub = _locked(sub, expected_version, Level.COUNTY)
        if sub.status != Status.SUBMITTED:
            raise ValidationError(_("Only a submitted (not yet forwarded) submission can be reviewed."))
        cs = schemes.campaign_scheme(sub.campaign)
        claimed = marksheet.no_duty_items(list(sub.claims.all()), Level.SELF)
        self_scores = marksheet.level_scores(marksheet.scores_by_level(sub.marks.all()), Level.SELF)
        _save_level(sub, cs, Level.COUNTY, items, actor, reason=reason, claims=claims,
                    below=self_scores, below_na=claimed)
        return sub


def submission_return(*, actor, submission: Submission, expected_version: int, reason: str) -> Submission:
    """Send the submission back to the office; the reason is shown to it (the declared transition `return`)."""
    return SUBMISSION.perform(submission, "return", actor=actor, expected_version=expected_version, reason=reason)


def _decide_claim(sub: Submission, *, actor, item_id: str, approved: bool, reason: str, at_audit: bool) -> NoDutyClaim:
    claim = sub.claims.filter(item_id=item_id).first()
    if claim is None:
        raise ValidationError({"item_id": _("Item %(item)s has no no-duty claim.") % {"item": item_id}})
    prefix = "city" if at_audit else "county"
    if at_audit:
        reason = _need_reason(reason, _("the audit decides a claim on item %(item)s.") % {"item": item_id})
    elif not approved or claim.county_decision:
        reason = _need_reason(
            reason, _("rejecting the claim on item %(item)s, or changing a decision, must be explained.")
            % {"item": item_id})
    decision = Decision.APPROVED if approved else Decision.REJECTED
    if getattr(claim, f"{prefix}_decision") == decision and getattr(claim, f"{prefix}_reason") == reason:
        return claim
    before = {"decision": getattr(claim, f"{prefix}_decision"), "reason": getattr(claim, f"{prefix}_reason")}
    setattr(claim, f"{prefix}_decision", decision)
    setattr(claim, f"{prefix}_reason", reason)
    setattr(claim, f"{prefix}_actor_name", _who(actor))
    setattr(claim, f"{prefix}_decided_at", timezone.now())
    claim.save()
    _audit(EventType.ASSESSMENT_CLAIM, actor=actor, subject=sub, reason=reason, before=before,
           after={"decision": decision}, details={"level": prefix, "items": [item_id]})
    return claim


def _decide_claims(sub, claims: dict[str, tuple[bool, str]] | None, *, actor, at_audit: bool) -> bool:
    """Apply {item: (approved, reason)}; every problem is reported, and the caller's transaction undoes the rest."""
    if not claims:
        return False
    errors: dict[str, list[str]] = {}
    for item_id, (approved, reason) in sorted(claims.items()):
        try:
            _decide_claim(sub, actor=actor, item_id=item_id, approved=approved, reason=reason, at_audit=at_audit)
        except ValidationError as exc:
            errors.setdefault(f"claim_{item_id}", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return True


def claim_decide(*, actor, submission: Submission, expected_version: int, item_id: str, approved: bool,
                 reason: str = "") -> NoDutyClaim:
    """Approve or reject a no-duty claim: the county during review, the auditing unit during audit."""
    status = Submission.objects.filter(pk=submission.pk).values_list("status", flat=True).first()
    at_audit = status == Status.REVIEWED
    sub = _scoped(actor, submission, "auditable_by" if at_audit else "reviewable_by")
    with transaction.atomic():
        sub = _locked(sub, expected_version)
        if at_audit and not sub.needs_audit:
            raise ValidationError(_("This submission is not under audit."))
        if sub.status not in (Status.SUBMITTED, Status.REVIEWED):
            raise ValidationError(_("Claims are decided while the submission is under review or audit."))
        claim = _decide_claim(sub, actor=actor, item_id=item_id, approved=approved, reason=reason, at_audit=at_audit)
        _bump(sub)
        return claim


def review_missing(sub: Submission, cs=None) -> list[str]:
    """What the county still has to do before it can forward: undecided claims, items without a county score."""
    cs = cs or schemes.campaign_scheme(sub.campaign)
    claims = list(sub.claims.all())
    approved = marksheet.no_duty_items(claims, Level.COUNTY)
    county = marksheet.level_scores(marksheet.scores_by_level(sub.marks.all()), Level.COUNTY)
    missing = [
        _("Claim on item %(item)s: not decided.") % {"item": c.item_id} for c in claims if not c.county_decision
    ]
    missing += [
        _("Item %(item)s: no county score.") % {"item": item_id}
        for item_id in cs.ids
        if item_id not in county and item_id not in approved
    ]
    return missing


def submission_forward(*, actor, submission: Submission, expected_version: int, opinion: str,
                       opinion_date: date | None = None) -> Submission:
    """The county's verdict: every item scored, every claim decided, the written opinion (考评意见) and date.

    The declared transition `forward`; the false-data flag follows as its effect.
    """
    return SUBMISSION.perform(submission, "forward", actor=actor, expected_version=expected_version,
                              values={"county_opinion": opinion, "opinion_date": opinion_date})


# --- the audit ----------------------------------------------------------------------------------------


def audit_save(*, actor, submission: Submission, expected_version: int, items: dict[str, dict],
               reason: str, claims: dict[str, tuple[bool, str]] | None = None) -> Submission:
    """The auditor overrides item scores (a blank score removes an override); always with a reason."""
    sub = _scoped(actor, submission, "auditable_by")
    with transaction.atomic():
        sub = _locked(sub, expected_version, Level.CITY)
        if not sub.needs_audit or sub.status != Status.REVIEWED:
            raise ValidationError(_("This submission is not under audit."))
        cs = schemes.campaign_scheme(sub.campaign)
        # Checked before the marks are touched, so a refusal leaves nothing behind.
        reason = _need_reason(reason, _("an audit override must be explained."))
        # The save's reason covers every override, so no per-item comment is demanded here.
        _save_level(sub, cs, Level.CITY, items, actor, reason=reason, claims=claims, below=None, below_na=set())
        return sub


def submission_audit(*, actor, submission: Submission, expected_version: int, opinion: str = "") -> Submission:
    """Close the audit of one submission (the declared transition `audit`; the false-data flag follows)."""
    return SUBMISSION.perform(submission, "audit", actor=actor, expected_version=expected_version,
                              values={"audit_opinion": opinion})


def _overclaimed(cs, own: dict, reviewed: dict, own_na: set, reviewed_na: set) -> list[str]:
    """Items the office scored above what the reviewers verified (an approved no-duty item is not compared)."""
    out = []
    for item_id in cs.ids:
        if item_id in reviewed_na or item_id in own_na:
            continue
        mine, theirs = own.get(item_id), reviewed.get(item_id)
        if mine is not None and theirs is not None and mine > theirs:
            out.append(item_id)
    return out


def _check_false_data(sub: Submission, cs, claims, actor) -> None:
    """Raise (or lift) the automatic 数据不实 flag.

    A self-score total above the reviewers' by more than the campaign's threshold raises a flag that
    counts (basis "total", as before). Items self-scored above what was verified raise a flag that only
    suggests it (basis "items"): it counts once the city confirms it (services.flag_confirm). A
    confirmed or dismissed flag is the city's and never moves by itself.
    """
    by_level = marksheet.scores_by_level(sub.marks.all())
    own_na = marksheet.no_duty_items(claims, Level.SELF)
    reviewed_na = marksheet.no_duty_items(claims, Level.CITY)
    own_scores = marksheet.level_scores(by_level, Level.SELF)
    reviewed_scores = marksheet.level_scores(by_level, Level.CITY)
    own = marksheet.items_total(cs, own_scores, own_na)
    reviewed = marksheet.items_total(cs, reviewed_scores, reviewed_na)
    gap = own - reviewed
    threshold = sub.campaign.false_data_gap
    items = _overclaimed(cs, own_scores, reviewed_scores, own_na, reviewed_na)
    flag = sub.flags.filter(kind=FlagKind.FALSE_DATA).first()
    basis = "total" if gap > threshold else "items" if items else None
    details = {"self_total": str(own), "reviewed_total": str(reviewed), "gap": str(gap), "threshold": str(threshold),
               "items": items, "basis": basis or "none"}
    if flag is not None and (flag.confirmed or not flag.automatic or (not flag.active and flag.dismissed_at)):
        return
    if basis is not None:
        if flag is None:
            flag = Flag.objects.create(submission=sub, kind=FlagKind.FALSE_DATA, details=details)
            _audit(EventType.ASSESSMENT_FLAG, actor=actor, subject=sub, after={"flag": flag.kind, "active": True},
                   details=details)
        elif flag.active:
            flag.details = details
            flag.save(update_fields=["details"])
    elif flag is not None and flag.active:
        flag.active = False
        flag.details = details
        flag.save(update_fields=["active", "details"])
        _audit(EventType.ASSESSMENT_FLAG, actor=actor, subject=sub, before={"flag": flag.kind, "active": True},
               after={"flag": flag.kind, "active": False}, reason=_("The gap is no longer above the threshold."),
               details=details)


def flag_dismiss(*, actor, flag: Flag, reason: str) -> Flag:
    """The city lifts a flag it finds unfounded, with its reason."""
    sub = flag.submission
    _require_city(actor, sub.campaign.unit)
    with transaction.atomic():
        sub = _locked(sub, None)
        flag = Flag.objects.select_for_update().get(pk=flag.pk)
        reason = _need_reason(reason, _("say why the flag is unfounded."))
        if sub.status == Status.PUBLISHED:
            raise ValidationError(_("The result is published; the flag can no longer change."))
        if not flag.active:
            raise ValidationError(_("This flag is not active."))
        flag.active = False
        flag.dismissed_reason = reason
        flag.dismissed_by_name = _who(actor)
        flag.dismissed_at = timezone.now()
        flag.save()
        _bump(sub)
        _audit(EventType.ASSESSMENT_FLAG, actor=actor, subject=sub, reason=reason,
               before={"flag": flag.kind, "active": True}, after={"flag": flag.kind, "active": False})
        return flag


@hook("assessments.review_complete")
def _review_complete(step: Step) -> list[str]:
    """Every claim is decided and every item has a county score (or an approved claim)."""
    return review_missing(step.obj)


@hook("assessments.false_data_flag")
def _false_data_flag(step: Step) -> None:
    """Raise or lift the automatic 数据不实 flag from the gap between self-score and reviewed score."""
    sub = step.obj
    _check_false_data(sub, schemes.campaign_scheme(sub.campaign), list(sub.claims.all()), step.actor)
