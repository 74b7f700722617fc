"""The city's campaign writes: starting a campaign and moving its stage deadlines."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.org.models import Post, Staff, Unit, UnitKind
from jiceng.rubrics import SchemeError

from .. import sampling, schemes
from ..models import (
    AuditMode,
    Campaign,
    CampaignTarget,
    Result,
    Status,
    SubjectKind,
    Submission,
)
from ._common import _audit, _need_reason, _require_city

# --- campaigns ----------------------------------------------------------------------------------


def _county_of(office: Unit, counties: list[Unit]) -> Unit:
    for county in counties:
        if office.is_descendant_of(county):
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
    form_token: str = "",
    subject_kind: str = SubjectKind.OFFICE,
    self_check_required: bool = False,
    among: Campaign | None = None,
) -> Campaign:
    """Start a campaign: freeze the scheme, enrol the subjects, draw the audit sample or the cross-check.

    Subjects are the offices under the organiser (seed 000) or its county bureaus (seed 001: the county
    evaluates itself, the city's assessment group scores it, the city bureau's party group approves —
    every county is audited — and the result is circulated). The scheme must be able to run on them
    (schemes.unfit_reason). With `among`, a second tier (示范基层所, seed 000 四(四)): only the offices awarded
    (达标, not revoked) in that campaign take part, each named one must be.

    `form_token` (the create form's, see campaign_admin.campaign_create_once) is kept on the audit record.
    """
    _require_city(actor, organiser)
    if (scheme_id is None) == (scheme_text is None):
        raise ValidationError({"scheme_id": _("Choose a built-in scheme or give a scheme text, not both.")})
    try:
        text = schemes.builtin_source(scheme_id) if scheme_id is not None else scheme_text
        cs = schemes.compile_text(text)
    except SchemeError as exc:
        raise ValidationError({"scheme_id": str(exc)}) from None
    if subject_kind not in SubjectKind.values:
        raise ValidationError({"subject_kind": _("Campaigns enrol offices or county bureaus.")})
    unfit = schemes.unfit_reason(cs, subject_kind)
    if unfit:
        raise ValidationError({"scheme_id": _("This scheme cannot run on this campaign's subjects: %(why)s")
                               % {"why": unfit}})
    if subject_kind == SubjectKind.COUNTY:
        audit_mode = AuditMode.ALL  # 市局党组审定: the party group approves every county's result
    # Items bound to indicators (`indicator:` in the YAML): the indicator must exist and fit the rule.
    from jiceng.metrics import binding

    binding.check(cs)
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

    bureaus = subject_kind == SubjectKind.COUNTY
    offices_qs = Unit.objects.filter(kind=UnitKind.COUNTY if bureaus else UnitKind.OFFICE).within(organiser)
    if units is not None:
        wanted = {u.pk for u in units}
        offices = list(offices_qs.filter(pk__in=wanted))
        if len(offices) != len(wanted):
            raise ValidationError({"units": _("Only county bureaus under the organising bureau can take part.")
                                   if bureaus else _("Only offices under the organising bureau can take part.")})
    else:
        offices = list(offices_qs)
    if among is not None:
        offices = _among(among, offices, named=units is not None, bureaus=bureaus)
    if not offices:
        raise ValidationError({"units": _("There is no county bureau to assess.") if bureaus
                               else _("There is no office to assess.")})
    offices.sort(key=lambda u: u.code)
    counties = list(Unit.objects.filter(kind=UnitKind.COUNTY).within(organiser))
    county_of = {office.pk: office if bureaus else _county_of(office, counties) for office in offices}

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
        cross_check=assignment, false_data_gap=gap, subject_kind=subject_kind, tier_of=among,
        self_check_required=bool(self_check_required) and cs.definition.self_check is not None, created_by=actor,
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
        # A county bureau is scored by the city's assessment group (考评小组): the organiser.
        reviewer = organiser if bureaus else county
        rows.append(
            Submission(
                campaign=campaign, unit=office, reviewer=reviewer, auditor=auditor,
                bureau=office if bureaus else None, group=organiser if bureaus else None,
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
            "subject_kind": subject_kind, "self_check_required": campaign.self_check_required,
            "tier_of": among.pk if among is not None else None,
        },
        details={"form_token": form_token} if form_token else None,
    )
    return campaign


def _among(among: Campaign, offices: list[Unit], *, named: bool, bureaus: bool) -> list[Unit]:
    """The offices of a second-tier campaign: those awarded in `among`; a named office that is not is refused."""
    if bureaus or among.subject_kind != SubjectKind.OFFICE:
        raise ValidationError({"among": _("A second tier is chosen among the offices of an office campaign.")})
    awarded = set(Result.objects.filter(submission__campaign=among, passed=True, revoked_at__isnull=True)
                  .values_list("submission__unit_id", flat=True))
    if named:
        refused = [o.name for o in offices if o.pk not in awarded]
        if refused:
            raise ValidationError({"units": _("These offices did not reach the standard in %(campaign)s: %(units)s.")
                                   % {"campaign": among.name, "units": "、".join(refused)}})
        return offices
    return [o for o in offices if o.pk in awarded]


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
