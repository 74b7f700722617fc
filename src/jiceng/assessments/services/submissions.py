"""The office's writes of its self-evaluation (draft, submit) and the city's extension of its deadline."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.core.workflow import Step, hook
from jiceng.inbox.services import ReminderSpec, reminders_create

from .. import deadlines, schemes
from ..models import (
    SELF_ASSESS,
    Level,
    NoDutyClaim,
    Status,
    Submission,
)
from ..workflows import SUBMISSION
from ._common import (
    DECLARATION_FIELDS,
    OFFICE_EDITABLE,
    _audit,
    _bump,
    _locked,
    _need_reason,
    _require_city,
    _scoped,
    _who,
    _write_marks,
)
from .evidence import _check_uploads, _store_evidence

# --- the office ------------------------------------------------------------------------------------


def submission_save_draft(
    *,
    actor,
    submission: Submission,
    expected_version: int,
    items: dict[str, dict] | None = None,
    declaration: dict[str, Any] | None = None,
    reason: str = "",
    uploads: dict[str, list] | None = None,
) -> Submission:
    """Save the office's self-evaluation: scores, comments, no-duty claims (`claim` = reason), the form and files.

    Always possible in draft; on a returned submission only with a reason.
    `uploads` maps an item to new evidence files; all are checked before anything is written.
    """
    sub = _scoped(actor, submission, "self_assessable_by")
    with transaction.atomic():
        sub = _locked(sub, expected_version, Level.SELF)
        if sub.status not in OFFICE_EDITABLE:
            raise ValidationError(
                _("This submission was submitted and can no longer be edited unless the county returns it.")
            )
        if sub.status == Status.RETURNED:
            reason = _need_reason(reason, _("the submission was already submitted once; say what you changed."))
        cs = schemes.campaign_scheme(sub.campaign)
        items = items or {}
        files = _check_uploads(cs, uploads or {})
        before, after = _write_marks(sub, cs, Level.SELF, items, actor, below=None, below_na=set(), reason=reason,
                                     reason_needed_for_rescore=False)
        claims_before, claims_after = _write_claims(sub, items)
        decl_before, decl_after = _write_declaration(sub, declaration or {})
        for item_id, upload, checked in files:
            _store_evidence(sub, item_id, upload, checked, actor, reason)
        changed = bool(after or claims_after or decl_after)
        if changed or files:
            _bump(sub, *DECLARATION_FIELDS)
            _audit(
                EventType.ASSESSMENT_MARK, actor=actor, subject=sub, reason=reason,
                before={"marks": before, "claims": claims_before, "declaration": decl_before},
                after={"marks": after, "claims": claims_after, "declaration": decl_after},
                details={"level": Level.SELF, "items": sorted(set(after) | set(claims_after))},
            )
        return sub


def _write_claims(sub: Submission, items: dict) -> tuple[dict, dict]:
    existing = {c.item_id: c for c in sub.claims.all()}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for item_id, entry in items.items():
        if "claim" not in entry:
            continue
        text = (entry.get("claim") or "").strip()
        old = existing.get(item_id)
        if old is not None and old.reason == text:
            continue
        if old is None and not text:
            continue
        before[item_id] = old.reason if old else None
        after[item_id] = text or None
        if not text:
            old.delete()
        elif old is None:
            NoDutyClaim.objects.create(submission=sub, item_id=item_id, reason=text)
        else:
            old.reason = text
            old.save(update_fields=["reason"])
    return before, after


def _write_declaration(sub: Submission, declaration: dict) -> tuple[dict, dict]:
    unknown = set(declaration) - set(DECLARATION_FIELDS)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed here.") for field in sorted(unknown)})
    old = audit.snapshot(sub, DECLARATION_FIELDS)
    for field, value in declaration.items():
        setattr(sub, field, value.strip() if isinstance(value, str) else value)
    sub.full_clean(exclude=["campaign", "unit", "reviewer", "auditor"], validate_unique=False)
    return audit.diff(old, audit.snapshot(sub, DECLARATION_FIELDS))


def submission_missing(sub: Submission, cs=None) -> list[str]:
    """What the office still has to fill in before it can submit, one line each."""
    cs = cs or schemes.campaign_scheme(sub.campaign)
    scored = {m.item_id for m in sub.marks.all() if m.level == Level.SELF and m.score is not None}
    claimed = {c.item_id for c in sub.claims.all()}
    missing = [
        _("Item %(item)s: no score and no no-duty claim.") % {"item": item_id}
        for item_id in cs.ids
        if item_id not in scored and item_id not in claimed
    ]
    labels = {
        "decl_name": _("office name"), "decl_staff_count": _("number of staff"), "decl_head": _("head"),
        "decl_phone": _("phone"), "decl_address": _("address"),
        "decl_situation": _("main situation of the standardization work"),
    }
    for field, label in labels.items():
        if getattr(sub, field) in (None, ""):
            missing.append(_("Declaration form: %(field)s is empty.") % {"field": label})
    return missing


def submission_submit(*, actor, submission: Submission, expected_version: int) -> Submission:
    """Send the self-evaluation to the county; refused with the list of what is missing.

    The declared transition `submit` (assessments/workflows.py): the deadline, then completeness.
    """
    return SUBMISSION.perform(submission, "submit", actor=actor, expected_version=expected_version)


def submission_extend_deadline(*, actor, submission: Submission, extended_to: date, reason: str) -> Submission:
    """The city gives one office more time to submit (延期): a new last day and a reason.

    For a draft: the date lies after the campaign's self-evaluation deadline,
    not in the past, and not after the county review deadline (the county must
    still have its window; to go further, move the campaign's deadlines).
    For a returned submission, which may be resubmitted until the county review
    deadline anyway: the date lies after that deadline, not in the past, and not
    after the city audit deadline (the county returned it late, so its window
    is already spent; the audit still needs the result). No other status: once
    the office has sent it on, there is nothing left to extend. Granting again
    replaces the date. The office is told in its inbox. The submission's
    version is not changed: the office's open form stays valid.
    """
    _require_city(actor, submission.campaign.unit)
    with transaction.atomic():
        sub = _locked(submission, None)
        reason = _need_reason(reason, _("say why the office gets more time."))
        campaign = sub.campaign
        if sub.status not in OFFICE_EDITABLE:
            raise ValidationError(_(
                "Only a submission the office has not submitted yet, or one the county returned, can get an "
                "extension."))
        returned = sub.status == Status.RETURNED
        if returned and extended_to <= campaign.review_deadline:
            raise ValidationError({"extended_to": _(
                "A returned submission may be resubmitted until the county review deadline (%(date)s) anyway: "
                "the new date must be after it.") % {"date": f"{campaign.review_deadline:%Y-%m-%d}"}})
        if not returned and extended_to <= campaign.self_deadline:
            raise ValidationError({"extended_to": _(
                "The new date must be after the campaign's self-evaluation deadline (%(date)s).")
                % {"date": f"{campaign.self_deadline:%Y-%m-%d}"}})
        if extended_to < deadlines.local_today():
            raise ValidationError({"extended_to": _("The new date lies in the past.")})
        if returned and extended_to > campaign.audit_deadline:
            raise ValidationError({"extended_to": _(
                "The new date must not be after the city audit deadline (%(date)s): the county still has to "
                "review the resubmission before the audit. To give more time, move the campaign's deadlines.")
                % {"date": f"{campaign.audit_deadline:%Y-%m-%d}"}})
        if not returned and extended_to > campaign.review_deadline:
            raise ValidationError({"extended_to": _(
                "The new date must not be after the county review deadline (%(date)s): the county needs time to "
                "review. To give more time, move the campaign's deadlines.")
                % {"date": f"{campaign.review_deadline:%Y-%m-%d}"}})
        if extended_to == sub.self_deadline_extended_to:
            raise ValidationError({"extended_to": _("The submission already has this deadline.")})
        before = {"self_deadline": sub.effective_self_deadline, "submit_deadline": sub.submit_deadline,
                  "extended_to": sub.self_deadline_extended_to}
        sub.self_deadline_extended_to = extended_to
        sub.extension_reason = reason
        sub.extended_by_name = _who(actor)
        sub.extended_at = timezone.now()
        sub.save(update_fields=["self_deadline_extended_to", "extension_reason", "extended_by_name", "extended_at"])
        _audit(EventType.UPDATE, actor=actor, subject=sub, reason=reason, before=before,
               after={"self_deadline": sub.effective_self_deadline, "submit_deadline": sub.submit_deadline,
                      "extended_to": extended_to},
               details={"kind": "assessment.extension", "status": sub.status})
        title = (_("Resubmission deadline extended to %(date)s: %(unit)s · %(campaign)s") if returned
                 else _("Self-evaluation deadline extended to %(date)s: %(unit)s · %(campaign)s"))
        reminders_create(actor=actor, source="assessments.extension", specs=[ReminderSpec(
            unit_id=sub.unit_id, action=SELF_ASSESS, kind="extension", due=extended_to,
            key=f"assessments.extended:{sub.pk}:{sub.extended_at:%Y%m%d%H%M%S%f}",
            url=reverse("assessments:submission_self", args=[sub.pk]),
            title=title % {"date": f"{extended_to:%Y-%m-%d}", "unit": sub.unit.name, "campaign": campaign.name},
            body=reason)])
        return sub


@hook("assessments.self_complete")
def _self_complete(step: Step) -> list[str]:
    """Every item has a self-score or a no-duty claim; the declaration form is filled in."""
    return submission_missing(step.obj)


def self_check(sub: Submission, cs=None):
    """The scheme's self-check of the office's own marks (seed 000 四(三)): (passed, reasons), or None when the
    scheme has no self-check. The self-evaluation is scored as it stands (a missing item counts 0, a claimed
    no-duty item as the scheme says); bonuses and vetoes are the city's and do not enter it."""
    from .. import marks as marksheet

    cs = cs or schemes.campaign_scheme(sub.campaign)
    grade = cs.definition.self_check
    if grade is None:
        return None
    scores = marksheet.level_scores(marksheet.scores_by_level(sub.marks.all()), Level.SELF)
    claimed = marksheet.no_duty_items(list(sub.claims.all()), Level.SELF)
    sheet = marksheet.sheet(cs, scores, claimed if cs.no_duty_fraction is not None else set())
    outcome = cs.score(sheet, partial=True)
    passed = cs.grade_index[outcome.grade] <= cs.grade_index[grade]
    return passed, list(outcome.reasons)


@hook("assessments.self_check")
def _self_check(step: Step) -> None:
    """The office's self-check reaches the scheme's self-check grade (自查达标) before it applies."""
    if not step.obj.campaign.self_check_required or submission_missing(step.obj):
        return  # not asked by this campaign, or the completeness check lists what is missing first
    checked = self_check(step.obj)
    if checked is None or checked[0]:
        return
    raise ValidationError(_("Self-check not passed (自查未达标): the draft is saved but cannot be submitted. %(why)s")
                          % {"why": "；".join(checked[1])}, code="self_check")
