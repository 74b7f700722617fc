"""Writes of the assessment workflow: one transaction and one audit record each.

Every function is keyword-only and takes the acting user (`actor=None` only for
the command line and the demo loader, which act as "system"). Scope is checked
through the Submission query set (core.scoping): an office writes only its own
submission, a county only the submissions it is the reviewing unit of, the
auditing unit only what it audits, the city bureau publishes.

Rules of the record (docs/assessments.md):
- a change carries the submission `version` it was based on; a stale one is
  refused with the current values (optimistic locking);
- after submission every change needs a reason: the office edits a returned
  submission only with a reason; a reviewer's score that differs from the
  level below needs a comment on that item, and re-scoring an item already
  scored at the same level needs a reason for the save; the city's overrides,
  rejections of no-duty claims, returns and revocations always need one;
- the office's submission closes with its deadline (deadlines.py): a draft
  after the self-evaluation deadline (or the city's extension), a returned
  submission after the county review deadline (or the city's extension, up to
  the audit deadline). Saving stays open, and the
  county's and the city's deadlines block nobody. Like scope, deadlines bind
  people: `actor=None` (the command line, the demo loader, a load of a past
  campaign's records) is not refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType, Outcome
from jiceng.inbox.services import ReminderSpec, reminders_create
from jiceng.org.models import Post, Staff, Unit, UnitKind
from jiceng.rubrics import SchemeError

from . import deadlines, sampling, schemes
from . import marks as marksheet
from .errors import Conflict, Incomplete
from .evidence import read_checked
from .models import (
    PUBLISH,
    SELF_ASSESS,
    AuditMode,
    Bonus,
    Campaign,
    CampaignTarget,
    Decision,
    Evidence,
    Flag,
    FlagKind,
    ItemMark,
    Level,
    NoDutyClaim,
    Result,
    Status,
    Submission,
    VetoEvent,
)

DECLARATION_FIELDS = ["decl_name", "decl_staff_count", "decl_head", "decl_phone", "decl_address", "decl_situation"]
OFFICE_EDITABLE = (Status.DRAFT, Status.RETURNED)


# --- helpers ------------------------------------------------------------------------------------


def _who(actor) -> str:
    return actor.get_username() if actor is not None else "system"


def _audit(event, *, actor, subject, **kwargs):
    return audit.record(event, actor=actor, actor_name=None if actor else "system", subject=subject, **kwargs)


def _scoped(actor, submission: Submission, method: str) -> Submission:
    """The submission if `actor` may act on it through `method` of the query set; else 404, recorded.

    Runs before the transaction of the change, so the refusal stays on the
    record although the change is not made.
    """
    if actor is None:
        return submission
    allowed = getattr(Submission.objects, method)(actor)
    if allowed.filter(pk=submission.pk).exists():
        return submission
    if Submission.objects.filter(pk=submission.pk).exists():
        audit.record_now(
            EventType.ACCESS_DENIED,
            actor=actor,
            subject=submission,
            outcome=Outcome.DENIED,
            details={"action": method},
        )
    raise Http404


def _holds(actor, action: str, unit: Unit) -> bool:
    if actor is None:
        return True
    return any(unit.path.startswith(path) for path in actor.scope_paths(action))


def _require_city(actor, unit: Unit) -> None:
    if not _holds(actor, PUBLISH, unit):
        raise PermissionDenied(_("Only the city bureau that runs the campaign may do this."))


def _locked(submission: Submission, expected_version: int | None, level: str | None = None) -> Submission:
    """Re-read and lock the row; refuse a change based on a stale version."""
    sub = Submission.objects.select_for_update().select_related("campaign", "unit").get(pk=submission.pk)
    if expected_version is not None and sub.version != expected_version:
        raise Conflict(
            _(
                "Someone else saved this submission in the meantime (version %(current)s, yours was "
                "%(yours)s). Nothing was saved; the current values are shown."
            )
            % {"current": sub.version, "yours": expected_version},
            current=_current_values(sub, level),
        )
    return sub


def _current_values(sub: Submission, level: str | None) -> dict:
    values: dict[str, Any] = {"version": sub.version, "status": sub.status}
    if level is not None:
        values["marks"] = {
            m.item_id: {"score": m.score, "comment": m.comment, "by": m.actor_name, "at": m.updated_at}
            for m in sub.marks.filter(level=level)
        }
    return values


def _bump(sub: Submission, *fields: str) -> None:
    sub.version += 1
    sub.save(update_fields=["version", *fields])


def _need_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A reason is required: %(what)s") % {"what": what}})
    return reason


def _parse_score(cs, item_id: str, raw: Any) -> Decimal | None:
    """A score from a form or a caller, checked against the item's maximum and the scheme's step."""
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError({f"score_{item_id}": _("Item %(item)s: %(value)s is not a number.") % {
            "item": item_id, "value": raw}}) from None
    top = schemes.item_max(cs, item_id)
    if not value.is_finite() or value < 0 or value > top:
        raise ValidationError({f"score_{item_id}": _("Item %(item)s: the score must be between 0 and %(max)s.") % {
            "item": item_id, "max": top}})
    if schemes.is_check(cs, item_id) and value not in (0, top):
        raise ValidationError({f"score_{item_id}": _("Item %(item)s is met or not met: give 0 or %(max)s.") % {
            "item": item_id, "max": top}})
    step = Decimal(cs.definition.step)
    if value % step:
        raise ValidationError({f"score_{item_id}": _("Item %(item)s: scores go in steps of %(step)s.") % {
            "item": item_id, "step": step}})
    return value


def _check_items(cs, items: dict) -> None:
    known = set(cs.ids)
    unknown = sorted(set(items) - known)
    if unknown:
        raise ValidationError(
            {"items": _("These are not scored items of the scheme: %(ids)s") % {"ids": ", ".join(unknown)}}
        )


def _marks_of(sub: Submission, level: str) -> dict[str, ItemMark]:
    return {m.item_id: m for m in sub.marks.filter(level=level)}


def _write_marks(sub, cs, level: str, items: dict, actor, *, below: dict[str, Decimal] | None, below_na: set[str],
                 reason: str, reason_needed_for_rescore: bool) -> tuple[dict, dict]:
    """Store one level's scores and comments; returns the (before, after) of what changed.

    `below` is the level underneath (self for the county, the county for the
    city): a score that differs from it needs a comment on the item.
    """
    _check_items(cs, items)
    existing = _marks_of(sub, level)
    errors: dict[str, list[str]] = {}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    rescored: list[str] = []
    parsed: dict[str, tuple[Decimal | None, str]] = {}
    for item_id, entry in items.items():
        try:
            score = _parse_score(cs, item_id, entry.get("score"))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            continue
        comment = (entry.get("comment") or "").strip()
        parsed[item_id] = (score, comment)
        old = existing.get(item_id)
        old_score = old.score if old else None
        if below is not None and score is not None and not comment:
            reference = None if item_id in below_na else below.get(item_id)
            if reference is None or reference != score:
                errors.setdefault(f"comment_{item_id}", []).append(
                    _("Item %(item)s: your score differs from the one below it; say why in the comment.")
                    % {"item": item_id}
                )
        if old_score is not None and old_score != score:
            rescored.append(item_id)
    if errors:
        raise ValidationError(errors)
    if rescored and reason_needed_for_rescore and not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Items already scored were changed (%(ids)s): give a reason for the change.")
             % {"ids": ", ".join(rescored)}}
        )
    name = _who(actor)
    for item_id, (score, comment) in parsed.items():
        old = existing.get(item_id)
        if old is not None and old.score == score and old.comment == comment:
            continue
        if old is None and score is None and not comment:
            continue
        before[item_id] = {"score": old.score, "comment": old.comment} if old else None
        after[item_id] = {"score": score, "comment": comment}
        ItemMark.objects.update_or_create(
            submission=sub, item_id=item_id, level=level,
            defaults={"score": score, "comment": comment, "actor": actor, "actor_name": name},
        )
    return before, after


# --- campaigns ----------------------------------------------------------------------------------


def _county_of(office: Unit, counties: list[Unit]) -> Unit:
    for county in counties:
        if office.path.startswith(county.path):
            return county
    raise ValidationError({"units": _("%(unit)s lies under no county bureau.") % {"unit": office.name}})


@transaction.atomic
def campaign_create(
    *,
    actor,
    organiser: Unit,
    name: str,
    period_start: date,
    period_end: date,
    self_deadline: date,
    review_deadline: date,
    audit_deadline: date,
    audit_mode: str,
    scheme_id: str | None = None,
    scheme_text: str | None = None,
    units: Iterable[Unit] | None = None,
    sample_ratio: Decimal | str = Decimal("0.3"),
    seed: int | None = None,
    targets: Iterable[tuple[date, Decimal | str]] = (),
    false_data_gap: Decimal | str = Decimal("10"),
) -> Campaign:
    """Start a campaign: freeze the scheme, enrol the offices, draw the audit sample or the cross-check."""
    _require_city(actor, organiser)
    if (scheme_id is None) == (scheme_text is None):
        raise ValidationError({"scheme_id": _("Choose a built-in scheme or give a scheme text, not both.")})
    try:
        text = schemes.builtin_source(scheme_id) if scheme_id is not None else scheme_text
        cs = schemes.compile_text(text)
    except SchemeError as exc:
        raise ValidationError({"scheme_id": str(exc)}) from None
    if cs.components or not cs.ids:
        raise ValidationError({"scheme_id": _("Campaigns score schemes made of items; this scheme has none.")})
    if period_start > period_end:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    _check_deadline_order(self_deadline, review_deadline, audit_deadline)
    if audit_mode not in AuditMode.values:
        raise ValidationError({"audit_mode": _("Unknown audit mode.")})
    try:
        ratio = Decimal(str(sample_ratio))
        gap = Decimal(str(false_data_gap))
    except InvalidOperation:
        raise ValidationError({"sample_ratio": _("Give the sample ratio and the threshold as numbers.")}) from None
    if not Decimal(0) < ratio <= 1:
        raise ValidationError({"sample_ratio": _("The sample ratio must be above 0 and at most 1.")})
    if gap < 0:
        raise ValidationError({"false_data_gap": _("The threshold cannot be negative.")})

    offices_qs = Unit.objects.filter(kind=UnitKind.OFFICE, path__startswith=organiser.path)
    if units is not None:
        wanted = {u.pk for u in units}
        offices = list(offices_qs.filter(pk__in=wanted))
        if len(offices) != len(wanted):
            raise ValidationError({"units": _("Only offices under the organising bureau can take part.")})
    else:
        offices = list(offices_qs)
    if not offices:
        raise ValidationError({"units": _("There is no office to assess.")})
    offices.sort(key=lambda u: u.code)
    counties = list(Unit.objects.filter(kind=UnitKind.COUNTY, path__startswith=organiser.path))
    county_of = {office.pk: _county_of(office, counties) for office in offices}

    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    codes = [o.code for o in offices]
    sampled: set[str] = set()
    assignment: dict[str, str] = {}
    if audit_mode == AuditMode.SAMPLE:
        sampled = set(sampling.draw_sample(codes, ratio, seed))
    elif audit_mode == AuditMode.CROSS:
        county_codes = sorted({c.code for c in county_of.values()})
        if len(county_codes) < 2:
            raise ValidationError({"audit_mode": _("Cross-checking needs offices of at least two counties.")})
        assignment = sampling.cross_check(county_codes, seed)
    campaign = Campaign(
        name=name, unit=organiser, scheme_id=cs.id, scheme_version=cs.version, scheme_title=cs.title,
        scheme_source=text, scheme_sha256=schemes.sha256_text(text), period_start=period_start,
        period_end=period_end, self_deadline=self_deadline, review_deadline=review_deadline,
        audit_deadline=audit_deadline, audit_mode=audit_mode, sample_ratio=ratio, seed=seed,
        cross_check=assignment, false_data_gap=gap, created_by=actor,
    )
    campaign.full_clean()
    campaign.save()
    by_code = {c.code: c for c in counties}
    staff_counts = dict(
        Staff.objects.filter(unit__in=offices, active=True).values_list("unit").annotate(n=Count("pk"))
    )
    heads = dict(
        Staff.objects.filter(unit__in=offices, active=True, post=Post.HEAD).order_by("-pk").values_list("unit", "name")
    )
    rows = []
    for office in offices:
        county = county_of[office.pk]
        auditor = by_code[assignment[county.code]] if assignment else organiser
        rows.append(
            Submission(
                campaign=campaign, unit=office, reviewer=county, auditor=auditor,
                needs_audit=audit_mode != AuditMode.SAMPLE or office.code in sampled,
                decl_name=office.name, decl_staff_count=staff_counts.get(office.pk, 0),
                decl_head=heads.get(office.pk, ""), decl_phone=office.phone, decl_address=office.address,
            )
        )
    Submission.objects.bulk_create(rows)
    for due, share in targets:
        target = CampaignTarget(campaign=campaign, due=due, share=Decimal(str(share)))
        target.full_clean()
        target.save()
    _audit(
        EventType.CREATE, actor=actor, subject=campaign,
        after={
            "name": name, "scheme": cs.id, "scheme_version": cs.version, "scheme_sha256": campaign.scheme_sha256,
            "audit_mode": audit_mode, "sample_ratio": str(ratio), "seed": seed, "participants": codes,
            "sample": sorted(sampled), "cross_check": assignment,
            "targets": [[str(d), str(s)] for d, s in targets], "false_data_gap": str(gap),
        },
    )
    return campaign


def _check_deadline_order(self_deadline: date, review_deadline: date, audit_deadline: date) -> None:
    if not self_deadline <= review_deadline <= audit_deadline:
        raise ValidationError(
            {"review_deadline": _("Deadlines must follow the stages: self-evaluation, then review, then audit.")}
        )


DEADLINE_FIELDS = ["self_deadline", "review_deadline", "audit_deadline"]


def campaign_change_deadlines(*, actor, campaign: Campaign, self_deadline: date, review_deadline: date,
                              audit_deadline: date, reason: str) -> Campaign:
    """The city moves the campaign's stage deadlines, in stage order, with a reason.

    Refused when an extension that still matters would then lie past the date
    that bounds it: a draft's after the new review deadline, a returned
    submission's after the new audit deadline (change the extension first).
    Extensions of submissions already sent on are spent and never block.
    """
    _require_city(actor, campaign.unit)
    reason = _need_reason(reason, _("say why the deadlines move."))
    _check_deadline_order(self_deadline, review_deadline, audit_deadline)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = audit.snapshot(campaign, DEADLINE_FIELDS)
        new = {"self_deadline": self_deadline, "review_deadline": review_deadline, "audit_deadline": audit_deadline}
        if all(getattr(campaign, field) == value for field, value in new.items()):
            raise ValidationError(_("The deadlines are unchanged."))
        errors = {}
        beyond = _units_extended_beyond(campaign, Status.DRAFT, review_deadline)
        if beyond:
            errors["review_deadline"] = _(
                "These offices have an extension after the new county review deadline: %(units)s. "
                "Change their extensions first.") % {"units": "、".join(beyond)}
        # A returned submission's extension counts up to the audit deadline in force
        # (Submission.submit_deadline), so only an earlier audit deadline can cut one short.
        beyond = (_units_extended_beyond(campaign, Status.RETURNED, audit_deadline)
                  if audit_deadline < campaign.audit_deadline else [])
        if beyond:
            errors["audit_deadline"] = _(
                "These offices have an extension to resubmit after the new city audit deadline: %(units)s. "
                "Change their extensions first.") % {"units": "、".join(beyond)}
        if errors:
            raise ValidationError(errors)
        for field, value in new.items():
            setattr(campaign, field, value)
        campaign.save(update_fields=DEADLINE_FIELDS)
        changed_before, changed_after = audit.diff(before, audit.snapshot(campaign, DEADLINE_FIELDS))
        _audit(EventType.UPDATE, actor=actor, subject=campaign, reason=reason, before=changed_before,
               after=changed_after, details={"kind": "assessment.deadlines"})
        return campaign


def _units_extended_beyond(campaign: Campaign, status: str, day: date) -> list[str]:
    """The offices whose submission in `status` has an extension after `day`, by unit code."""
    return list(campaign.submissions.filter(status=status, self_deadline_extended_to__gt=day)
                .order_by("unit__code").values_list("unit__name", flat=True))


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
    """Send the self-evaluation to the county; refused with the list of what is missing."""
    sub = _scoped(actor, submission, "self_assessable_by")
    with transaction.atomic():
        sub = _locked(sub, expected_version, Level.SELF)
        if sub.status not in OFFICE_EDITABLE:
            raise ValidationError(_("This submission has already been submitted."))
        closed = deadlines.submit_closed(sub) if actor is not None else None
        if closed:
            raise ValidationError(closed, code="deadline_passed")
        missing = submission_missing(sub)
        if missing:
            raise Incomplete(_("The submission is not complete:"), missing=missing)
        old = sub.status
        sub.status = Status.SUBMITTED
        sub.submitted_at = timezone.now()
        _bump(sub, "status", "submitted_at")
        _audit(EventType.ASSESSMENT_SUBMIT, actor=actor, subject=sub, before={"status": old},
               after={"status": sub.status})
        return sub


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


def _check_uploads(cs, uploads: dict[str, list]) -> list[tuple[str, Any, tuple[bytes, str, str]]]:
    checked, errors = [], {}
    for item_id, files in uploads.items():
        if item_id not in cs.ids:
            errors.setdefault(f"file_{item_id}", []).append(
                _("%(item)s is not a scored item of the scheme.") % {"item": item_id})
            continue
        for upload in files:
            try:
                checked.append((item_id, upload, read_checked(upload, f"file_{item_id}")))
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(f"{upload.name}: {m}" for m in messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _store_evidence(sub, item_id, upload, checked, actor, reason) -> Evidence:
    data, kind, digest = checked
    original = (getattr(upload, "name", "") or "file")[-200:]
    evidence = Evidence(
        submission=sub, item_id=item_id, original_name=original, content_type=kind, size=len(data),
        sha256=digest, uploaded_by_name=_who(actor),
    )
    evidence.file.save(digest, ContentFile(data), save=False)
    evidence.save()
    _audit(EventType.CREATE, actor=actor, subject=sub, reason=reason,
           after={"evidence": {"item": item_id, "name": original, "type": kind, "sha256": digest, "size": len(data)}},
           details={"level": Level.SELF, "items": [item_id]})
    return evidence


def evidence_add(*, actor, submission: Submission, item_id: str, upload, reason: str = "") -> Evidence:
    """Attach a file to an item; the type is checked by content, the size limited, the SHA-256 kept."""
    sub = _scoped(actor, submission, "self_assessable_by")
    with transaction.atomic():
        sub = _locked(sub, None)
        if sub.status not in OFFICE_EDITABLE:
            raise ValidationError(_("Evidence can only be added while the office is editing its submission."))
        if sub.status == Status.RETURNED:
            reason = _need_reason(reason, _("the submission was already submitted once; say what you changed."))
        cs = schemes.campaign_scheme(sub.campaign)
        if item_id not in cs.ids:
            raise ValidationError({"item_id": _("%(item)s is not a scored item of the scheme.") % {"item": item_id}})
        return _store_evidence(sub, item_id, upload, read_checked(upload), actor, reason)


def evidence_delete(*, actor, evidence: Evidence, reason: str = "") -> None:
    sub = _scoped(actor, evidence.submission, "self_assessable_by")
    with transaction.atomic():
        sub = _locked(sub, None)
        if sub.status not in OFFICE_EDITABLE:
            raise ValidationError(_("Evidence can only be removed while the office is editing its submission."))
        if sub.status == Status.RETURNED:
            reason = _need_reason(reason, _("the submission was already submitted once; say what you changed."))
        evidence = Evidence.objects.get(pk=evidence.pk, submission=sub)
        _audit(EventType.DELETE, actor=actor, subject=sub, reason=reason,
               before={"evidence": {"item": evidence.item_id, "name": evidence.original_name,
                                    "sha256": evidence.sha256}},
               details={"level": Level.SELF, "items": [evidence.item_id]})
        stored = evidence.file.name
        evidence.delete()
        storage = evidence.file.storage
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(stored))


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
    """Send the submission back to the office; the reason is shown to it."""
    sub = _scoped(actor, submission, "reviewable_by")
    with transaction.atomic():
        sub = _locked(sub, expected_version)
        reason = _need_reason(reason, _("tell the office what to fix."))
        if sub.status != Status.SUBMITTED:
            raise ValidationError(_("Only a submitted (not yet forwarded) submission can be returned."))
        sub.status = Status.RETURNED
        sub.return_reason = reason
        sub.returned_at = timezone.now()
        _bump(sub, "status", "return_reason", "returned_at")
        _audit(EventType.ASSESSMENT_RETURN, actor=actor, subject=sub, reason=reason,
               before={"status": Status.SUBMITTED}, after={"status": sub.status})
        return sub


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


def submission_forward(*, actor, submission: Submission, expected_version: int, opinion: str,
                       opinion_date: date | None = None) -> Submission:
    """The county's verdict: every item scored, every claim decided, the written opinion (考评意见) and date."""
    sub = _scoped(actor, submission, "reviewable_by")
    with transaction.atomic():
        sub = _locked(sub, expected_version, Level.COUNTY)
        if sub.status != Status.SUBMITTED:
            raise ValidationError(_("Only a submitted (not yet forwarded) submission can be forwarded."))
        opinion = (opinion or "").strip()
        cs = schemes.campaign_scheme(sub.campaign)
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
        if not opinion:
            missing.append(_("The county's opinion (考评意见) is empty."))
        if missing:
            raise Incomplete(_("The review is not complete:"), missing=missing)
        sub.status = Status.REVIEWED
        sub.county_opinion = opinion
        sub.opinion_date = opinion_date or timezone.localdate()
        sub.reviewed_at = timezone.now()
        _bump(sub, "status", "county_opinion", "opinion_date", "reviewed_at")
        _audit(EventType.ASSESSMENT_FORWARD, actor=actor, subject=sub,
               before={"status": Status.SUBMITTED},
               after={"status": sub.status, "opinion": opinion, "opinion_date": sub.opinion_date})
        _check_false_data(sub, cs, claims, actor)
        return sub


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
    """Close the audit of one submission."""
    sub = _scoped(actor, submission, "auditable_by")
    with transaction.atomic():
        sub = _locked(sub, expected_version, Level.CITY)
        if not sub.needs_audit or sub.status != Status.REVIEWED:
            raise ValidationError(_("This submission is not under audit."))
        sub.status = Status.AUDITED
        sub.audit_opinion = (opinion or "").strip()
        sub.audited_at = timezone.now()
        _bump(sub, "status", "audit_opinion", "audited_at")
        _audit(EventType.ASSESSMENT_AUDIT, actor=actor, subject=sub, before={"status": Status.REVIEWED},
               after={"status": sub.status, "opinion": sub.audit_opinion})
        cs = schemes.campaign_scheme(sub.campaign)
        _check_false_data(sub, cs, list(sub.claims.all()), actor)
        return sub


def _check_false_data(sub: Submission, cs, claims, actor) -> None:
    """Raise (or lift) the automatic 数据不实 flag from the gap between self-score and reviewers' score."""
    by_level = marksheet.scores_by_level(sub.marks.all())
    own = marksheet.items_total(cs, marksheet.level_scores(by_level, Level.SELF),
                                marksheet.no_duty_items(claims, Level.SELF))
    reviewed = marksheet.items_total(cs, marksheet.level_scores(by_level, Level.CITY),
                                     marksheet.no_duty_items(claims, Level.CITY))
    gap = own - reviewed
    threshold = sub.campaign.false_data_gap
    flag = sub.flags.filter(kind=FlagKind.FALSE_DATA).first()
    details = {"self_total": str(own), "reviewed_total": str(reviewed), "gap": str(gap), "threshold": str(threshold)}
    if gap > threshold:
        if flag is None:
            flag = Flag.objects.create(submission=sub, kind=FlagKind.FALSE_DATA, details=details)
            _audit(EventType.ASSESSMENT_FLAG, actor=actor, subject=sub, after={"flag": flag.kind, "active": True},
                   details=details)
        elif flag.active and flag.automatic:
            flag.details = details
            flag.save(update_fields=["details"])
    elif flag is not None and flag.active and flag.automatic:
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
    by_level = marksheet.scores_by_level(sub.marks.all())
    return marksheet.sheet(
        cs,
        marksheet.level_scores(by_level, Level.CITY),
        marksheet.no_duty_items(claims, Level.CITY),
        bonuses=[b.bonus_id for b in sub.bonuses.all()],
        vetoes=[v.veto_id for v in sub.vetoes.all()],
        flags=[f.kind for f in sub.flags.all() if f.active],
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
            old = sub.status
            sub.status = Status.PUBLISHED
            sub.published_at = now
            _bump(sub, "status", "published_at")
            _audit(EventType.ASSESSMENT_PUBLISH, actor=actor, subject=sub, before={"status": old},
                   after={"status": sub.status, "total": data["total"], "grade": data["grade"],
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
