"""/api/v1 endpoints of the assessment workflow: thin, scoped like the web pages, writing through assessments.services.

Reads go through selectors (campaigns_for, submission_or_404). A write first
finds the submission among those the caller may see (else 404, recorded), then
checks the caller may do *this* with it (else 403: seeing it is no leak, and a
read-only integration learns what is wrong); the service checks scope again.
A stale `expected_version` answers 409 with the values stored now.

The city's operations (campaigns, deadlines and extensions, vetoes, bonuses,
flags, publication, revocation) need the caller to run the campaign (else
403); evidence files
travel as multipart/form-data and are fetched from their own path, scoped
through their submission (a veto's evidence file too, from its veto's path). Writes that the web makes without a version
(pilot, evidence, the city's) take none here either: their services check
their own preconditions under the submission's lock.

Deadline facts (a submission's last day to submit, whether submitting is
closed, who is overdue) come from selectors/deadlines.py; nothing here
decides them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import wraps
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import FileResponse, Http404
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, UploadedFile
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError
from ninja.responses import Status

from jiceng.api.auth import TokenAuth, business_user
from jiceng.api.common import (
    MAX_COUNT,
    MAX_ID,
    NUL_FREE,
    Id,
    Input,
    Page,
    omittable,
    omittable_text,
    page_of,
    text,
)
from jiceng.api.errors import ERROR_RESPONSES, ErrorCode, ErrorOut
from jiceng.org.models import Unit, UnitKind
from jiceng.rubrics import list_builtin_schemes

from . import deadlines, schemes, selectors, services
from .errors import Conflict
from .evidence import MIME
from .models import PUBLISH, AuditMode, Campaign, Evidence, Flag, Level, Result, Submission, VetoEvent
from .models import Status as SubmissionStatus

router = Router(tags=["assessments"])

ItemId = Annotated[str, Field(min_length=1, max_length=20, pattern=NUL_FREE)]
Version = Annotated[int, Field(ge=1, le=MAX_COUNT, description="The submission's `version` this change is based on.")]
Score = Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=2)]


class ConflictOut(ErrorOut):
    current: dict[str, Any] = Field(
        description="What is stored now: version, status and the marks of the level being edited."
    )


RESPONSES = {**ERROR_RESPONSES, 409: ConflictOut}


# --- campaigns ------------------------------------------------------------------------------------


class TargetOut(Schema):
    due: date
    share: float


class SchemeItemOut(Schema):
    id: str
    title: str
    points: float
    check: bool = Field(description="Met or not met: scored 0 or the full points.")


class CampaignOut(Schema):
    id: int
    name: str
    unit_id: int = Field(description="The organising bureau.")
    scheme_id: str
    scheme_version: int
    scheme_title: str
    scheme_sha256: str
    period_start: date
    period_end: date
    self_deadline: date
    review_deadline: date
    audit_deadline: date
    audit_mode: AuditMode
    participants: int


class CampaignDetailOut(CampaignOut):
    targets: list[TargetOut]
    items: list[SchemeItemOut] = Field(description="The scored items of the frozen scheme, in order.")
    overdue: int = Field(
        description="How many of the campaign's submissions the caller can see are late today (逾期); each "
        "submission's `overdue` says in which stage."
    )


class CampaignPage(Schema):
    count: int
    items: list[CampaignOut]


def _campaign_out(campaign: Campaign) -> dict:
    return {name: getattr(campaign, name) for name in CampaignOut.model_fields}


@router.get("/assessments/campaigns/", response={200: CampaignPage, **ERROR_RESPONSES},
            url_name="assessment_campaign_list")
def assessment_campaign_list(request, filters: Query[Page]):
    """Campaigns the caller runs or in which they can see at least one submission, newest first."""
    user = business_user(request)
    campaigns = selectors.campaigns_for(user).order_by("-period_start", "-pk")
    return page_of(campaigns, filters, lambda rows: [_campaign_out(c) for c in rows])


def _campaign_detail(user, campaign: Campaign) -> dict:
    cs = schemes.campaign_scheme(campaign)
    return {
        **_campaign_out(campaign),
        "overdue": len(selectors.overdue_of(selectors.submissions_for(user, campaign))),
        "targets": [{"due": t.due, "share": t.share} for t in campaign.targets.all()],
        "items": [
            {"id": r.id, "title": r.title or r.text, "points": r.points, "check": r.check}
            for r in schemes.rows(cs)
            if r.kind == "item"
        ],
    }


@router.get("/assessments/campaigns/{id}", response={200: CampaignDetailOut, **ERROR_RESPONSES},
            url_name="assessment_campaign_detail")
def assessment_campaign_detail(request, id: Path[Id]):
    user = business_user(request)
    return _campaign_detail(user, selectors.campaign_or_404(user, id, "view via api"))


def _city_only() -> PermissionDenied:
    # The service's own message id, so the catalogue already has its Chinese text.
    return PermissionDenied(_("Only the city bureau that runs the campaign may do this."))


Ratio = Annotated[Decimal, Field(gt=0, le=1, max_digits=4, decimal_places=3)]
# The built-in schemes, as the web form offers them: the schema lists them for clients.
SchemeId = Literal[tuple(s.id for s in list_builtin_schemes())]  # type: ignore[valid-type]


class TargetIn(Input):
    due: date
    share: Ratio = Field(description="Share of the participating offices to reach the standard by `due` (0–1].")


class CampaignIn(Input):
    name: str = text(120, min_length=1)
    scheme_id: SchemeId = Field(description="One of the built-in schemes (`jiceng schemes list`).")
    period_start: date
    period_end: date
    self_deadline: date
    review_deadline: date
    audit_deadline: date
    audit_mode: AuditMode
    sample_ratio: Ratio = Field(Decimal("0.3"), description="Share of offices drawn for audit in `sample` mode.")
    seed: int | None = Field(
        None, ge=0, le=MAX_ID, description="Random seed of the sample or cross-check; drawn and recorded when left out."
    )
    false_data_gap: Decimal = Field(
        Decimal("10"), ge=0, max_digits=5, decimal_places=1,
        description="A self-score above the reviewers' by more than this many points raises a 数据不实 flag.",
    )
    targets: list[TargetIn] = Field([], max_length=20, description="Dated targets (share of offices by a date).")
    units: list[Id] | None = Field(
        None, max_length=10000,
        description="Ids of the offices taking part; every office under the bureau when left out.",
    )


@router.post("/assessments/campaigns/", response={201: CampaignDetailOut, **ERROR_RESPONSES},
             url_name="assessment_campaign_create")
def assessment_campaign_create(request, payload: CampaignIn):
    """The city bureau starts a campaign: the scheme is frozen, the offices enrolled, the audit sample drawn."""
    user = business_user(request)
    organiser = Unit.objects.visible_to(user).filter(kind=UnitKind.CITY).order_by("path").first()
    if not user.has_capability(PUBLISH) or organiser is None:
        raise _city_only()
    units = None
    if payload.units is not None:
        units = list(Unit.objects.filter(pk__in=payload.units))
        if len(units) != len(set(payload.units)):
            # The service's message id: an unknown id is no office under the bureau either.
            raise ValidationError({"units": _("Only offices under the organising bureau can take part.")})
    campaign = services.campaign_create(
        actor=user, organiser=organiser, name=payload.name, scheme_id=payload.scheme_id,
        period_start=payload.period_start, period_end=payload.period_end, self_deadline=payload.self_deadline,
        review_deadline=payload.review_deadline, audit_deadline=payload.audit_deadline,
        audit_mode=payload.audit_mode, sample_ratio=payload.sample_ratio, seed=payload.seed,
        targets=[(t.due, t.share) for t in payload.targets], false_data_gap=payload.false_data_gap, units=units,
    )
    return Status(201, _campaign_detail(user, selectors.campaigns_for(user).get(pk=campaign.pk)))


# --- submissions: reads ---------------------------------------------------------------------------


class OverdueOut(Schema):
    stage: Literal["self", "review", "audit"] = Field(
        description="Whose step is late: the office's submission (self), the county's review, the city's audit."
    )
    stage_label: str
    deadline: date = Field(description="The deadline of that stage (closed at the end of that day, bureau time).")
    days: int = Field(description="Days since the deadline.")
    message: str = Field(description="The same, as a sentence for people.")


class SubmissionOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    unit_code: str
    unit_name: str
    reviewer_id: int = Field(description="The reviewing unit (the county bureau).")
    auditor_id: int = Field(description="The auditing unit (the city, or another county when cross-checking).")
    status: SubmissionStatus
    version: int
    needs_audit: bool
    pilot: bool
    submitted_at: datetime | None
    reviewed_at: datetime | None
    audited_at: datetime | None
    published_at: datetime | None
    submit_deadline: date = Field(
        description="The office's last day to submit: the city's extension if later than the campaign's "
        "self-evaluation deadline, else that deadline; for a returned submission the later of the county review "
        "deadline and the city's extension (never past the audit deadline). Closes at the end of that day in the "
        "bureau's time zone."
    )
    overdue: OverdueOut | None = Field(
        description="The stage this submission is late in today (逾期), if any. Only the office's submission is "
        "ever closed by a deadline; a late review or audit is shown here but not blocked."
    )


class ExtensionOut(Schema):
    extended_to: date
    reason: str
    by: str
    at: datetime | None
    in_force: bool = Field(
        description="Whether the extension is what sets `submit_deadline` now: false once the campaign's own "
        "deadline for this submission (self-evaluation; for a returned one, county review) is at or past it."
    )


class MarkOut(Schema):
    score: float | None
    comment: str
    by: str
    at: datetime


class ClaimOut(Schema):
    item_id: str
    reason: str
    county_decision: str
    county_reason: str
    city_decision: str
    city_reason: str
    decision: str = Field(description="The decision in force: the city's when given, else the county's.")


class ResultOut(Schema):
    total: float
    passed: bool
    grade: str
    awarded: bool = Field(description="Reached the standard and not revoked.")
    published_at: datetime
    revoked_at: datetime | None
    revoke_reason: str
    scheme_sha256: str
    data: dict[str, Any] = Field(description="The rubric engine's result (Result.to_dict()), frozen at publication.")


class DeclarationOut(Schema):
    decl_name: str
    decl_staff_count: int | None
    decl_head: str
    decl_phone: str
    decl_address: str
    decl_situation: str


class EvidenceOut(Schema):
    id: int
    item_id: str
    name: str = Field(description="The file name it was uploaded with.")
    type: str = Field(description="jpg, png, pdf, xlsx or docx: decided from the content, not the name.")
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    download: str = Field(description="Where to fetch the file (GET, same token).")


class VetoOut(Schema):
    id: int
    veto_id: str
    text: str = Field(description="The veto clause of the scheme.")
    occurred_on: date
    description: str
    evidence_type: str = Field(description="Type of the attached evidence file, empty when none.")
    evidence_sha256: str
    registered_by: str
    registered_at: datetime
    download: str | None = Field(
        description="Where to fetch the evidence file (GET, same token); null when none was attached."
    )


class BonusOut(Schema):
    id: int
    bonus_id: str
    title: str
    points: float
    awarded_on: date
    note: str
    registered_by: str
    registered_at: datetime


class FlagOut(Schema):
    id: int
    kind: str
    active: bool
    automatic: bool = Field(description="Raised by the system (self-score far above the reviewers').")
    details: dict[str, Any]
    raised_at: datetime
    dismissed_reason: str
    dismissed_by: str
    dismissed_at: datetime | None


class SubmissionDetailOut(SubmissionOut):
    declaration: DeclarationOut
    return_reason: str
    county_opinion: str
    opinion_date: date | None
    audit_opinion: str
    marks: dict[Level, dict[str, MarkOut]] = Field(description="Per level (self, county, city), per item.")
    claims: list[ClaimOut]
    flags: list[str] = Field(description="Active flags, such as false-data (数据不实).")
    flag_records: list[FlagOut] = Field(description="Every flag, active or dismissed, with its id (to dismiss it).")
    evidence: list[EvidenceOut] = Field(description="Evidence files, by item.")
    vetoes: list[VetoOut] = Field(description="Veto events (一票否决) registered by the city.")
    bonuses: list[BonusOut] = Field(description="Commendations adding points (满意站所).")
    result: ResultOut | None = Field(description="The published result; null until publication.")
    extension: ExtensionOut | None = Field(
        description="The city's extension (延期) of this office's self-evaluation deadline; null if none was granted."
    )
    submit_closed: bool = Field(
        description="The office can no longer submit (its `submit_deadline` has passed); saving stays open."
    )
    submit_closed_reason: str = Field(description="Why, naming the deadline; empty while submitting is open.")
    can_edit: bool
    can_review: bool
    can_audit: bool
    can_run: bool = Field(description="The caller runs the campaign: vetoes, bonuses, flags, publication, revocation.")


class SubmissionPage(Schema):
    count: int
    items: list[SubmissionOut]


class SubmissionFilters(Page):
    campaign: Id | None = None
    status: SubmissionStatus | None = None


def _overdue_out(late: deadlines.Overdue | None) -> dict | None:
    if late is None:
        return None
    return {"stage": late.stage, "stage_label": late.stage_label, "deadline": late.deadline, "days": late.days,
            "message": late.text}


def _submission_out(sub: Submission, late: deadlines.Overdue | None) -> dict:
    out = {name: getattr(sub, name) for name in SubmissionOut.model_fields if hasattr(sub, name)}
    out.update(unit_code=sub.unit.code, unit_name=sub.unit.name, overdue=_overdue_out(late))
    return out


def _submission_rows(rows) -> list[dict]:
    late = selectors.overdue_of(rows)
    return [_submission_out(s, late.get(s.pk)) for s in rows]


def _submission_detail(user, pk: int) -> dict:
    sub = selectors.submission_or_404(user, pk)
    cs = schemes.campaign_scheme(sub.campaign)
    flags = list(sub.flags.order_by("pk"))
    marks: dict[str, dict[str, dict]] = {level: {} for level in Level.values}
    for m in sub.marks.all():
        marks[m.level][m.item_id] = {"score": m.score, "comment": m.comment, "by": m.actor_name, "at": m.updated_at}
    result = selectors.result_of(sub)
    window = selectors.submit_window(sub)
    return {
        **_submission_out(sub, selectors.overdue(sub)),
        "declaration": {name: getattr(sub, name) for name in services.DECLARATION_FIELDS},
        "return_reason": sub.return_reason,
        "county_opinion": sub.county_opinion,
        "opinion_date": sub.opinion_date,
        "audit_opinion": sub.audit_opinion,
        "marks": marks,
        "claims": [
            {name: getattr(c, name) for name in ClaimOut.model_fields} for c in sub.claims.order_by("item_id")
        ],
        "flags": [f.kind for f in flags if f.active],
        "flag_records": [_flag_out(f) for f in flags],
        "evidence": [_evidence_out(e) for e in sub.evidence.all()],
        "vetoes": [_veto_out(v, cs) for v in sub.vetoes.all()],
        "bonuses": [_bonus_out(b, cs) for b in sub.bonuses.all()],
        "result": None if result is None else {
            **{name: getattr(result, name) for name in ResultOut.model_fields if name != "data"},
            "data": result.data,
        },
        "extension": None if sub.self_deadline_extended_to is None else {
            "extended_to": sub.self_deadline_extended_to, "reason": sub.extension_reason,
            "by": sub.extended_by_name, "at": sub.extended_at, "in_force": window.extended,
        },
        "submit_closed": window.closed is not None,
        "submit_closed_reason": window.closed or "",
        "can_edit": sub.status in services.OFFICE_EDITABLE
        and Submission.objects.self_assessable_by(user).filter(pk=sub.pk).exists(),
        "can_review": Submission.objects.reviewable_by(user).filter(pk=sub.pk).exists(),
        "can_audit": sub.needs_audit and Submission.objects.auditable_by(user).filter(pk=sub.pk).exists(),
        "can_run": selectors.can_run(user, sub.campaign),
    }


def _evidence_out(e: Evidence) -> dict:
    return {
        "id": e.pk, "item_id": e.item_id, "name": e.original_name, "type": e.content_type, "size": e.size,
        "sha256": e.sha256, "uploaded_by": e.uploaded_by_name, "uploaded_at": e.uploaded_at,
        "download": reverse("api-v1:assessment_evidence_download", kwargs={"id": e.pk}),
    }


def _veto_out(v, cs) -> dict:
    clause = cs.vetoes.get(v.veto_id)
    return {
        "id": v.pk, "veto_id": v.veto_id, "text": clause.text if clause else "", "occurred_on": v.occurred_on,
        "description": v.description, "evidence_type": v.evidence_type, "evidence_sha256": v.evidence_sha256,
        "registered_by": v.registered_by_name, "registered_at": v.registered_at,
        "download": reverse("api-v1:assessment_veto_evidence_download", kwargs={"id": v.pk}) if v.evidence else None,
    }


def _bonus_out(b, cs) -> dict:
    bonus = cs.bonuses.get(b.bonus_id)
    return {
        "id": b.pk, "bonus_id": b.bonus_id, "title": bonus[0].title if bonus else "",
        "points": bonus[0].points if bonus else 0, "awarded_on": b.awarded_on, "note": b.note,
        "registered_by": b.registered_by_name, "registered_at": b.registered_at,
    }


def _flag_out(f: Flag) -> dict:
    return {
        "id": f.pk, "kind": f.kind, "active": f.active, "automatic": f.automatic, "details": f.details,
        "raised_at": f.raised_at, "dismissed_reason": f.dismissed_reason, "dismissed_by": f.dismissed_by_name,
        "dismissed_at": f.dismissed_at,
    }


@router.get("/assessments/submissions/", response={200: SubmissionPage, **ERROR_RESPONSES},
            url_name="assessment_submission_list")
def assessment_submission_list(request, filters: Query[SubmissionFilters]):
    """Submissions the caller may see: an office its own, a county its offices', the city all."""
    user = business_user(request)
    subs = Submission.objects.visible_to(user).select_related("unit", "campaign")
    if filters.campaign is not None:
        subs = subs.filter(campaign_id=filters.campaign)
    if filters.status:
        subs = subs.filter(status=filters.status)
    subs = subs.order_by("campaign_id", "unit__code")
    return page_of(subs, filters, _submission_rows)


@router.get("/assessments/submissions/{id}", response={200: SubmissionDetailOut, **ERROR_RESPONSES},
            url_name="assessment_submission_detail")
def assessment_submission_detail(request, id: Path[Id]):
    """One submission with every level's marks, the no-duty claims and, once published, the frozen result."""
    return _submission_detail(business_user(request), id)


# --- submissions: writes ----------------------------------------------------------------------------


def _for(user, pk: int, how: str) -> Submission:
    """The submission if visible (else 404, recorded) and the caller may act on it through `how` (else 403)."""
    sub = selectors.submission_or_404(user, pk)
    if not getattr(Submission.objects, how)(user).filter(pk=sub.pk).exists():
        raise PermissionDenied(_("Your role does not allow this step on this submission."))
    return sub


def _written(user, pk: int, write):
    """Run one service call; a stale version answers 409 with what is stored now, nothing written."""
    try:
        write()
    except Conflict as exc:
        message = exc.messages[0]
        current = dict(exc.current)
        if "marks" in current:
            # Numbers, as the marks of a submission's detail are.
            current["marks"] = {
                item_id: {**mark, "score": None if mark["score"] is None else float(mark["score"])}
                for item_id, mark in current["marks"].items()
            }
        return Status(409, {
            "code": ErrorCode.CONFLICT.value, "message": message, "field": "expected_version",
            "errors": [{"field": "expected_version", "message": message}], "current": current,
        })
    return _submission_detail(user, pk)


class SelfItemIn(Input):
    """One item of the self-evaluation: what is sent replaces the item's score and comment (a null score clears it)."""

    score: Score | None = None
    comment: str = text(2000, "")
    claim: str = omittable_text(2000)


class DeclarationIn(Input):
    """Fields of the declaration form (申报表); send only the ones to change."""

    decl_name: str = omittable_text(100)
    decl_staff_count: int | None = omittable(ge=0, le=MAX_COUNT)
    decl_head: str = omittable_text(50)
    decl_phone: str = omittable_text(32)
    decl_address: str = omittable_text(200)
    decl_situation: str = omittable_text(5000)


class DraftIn(Input):
    expected_version: Version
    items: dict[ItemId, SelfItemIn] = Field(
        {}, description="By item id. `claim` states the item is not the office's duty (无职责); empty withdraws it."
    )
    declaration: DeclarationIn | None = None
    reason: str = text(500, "", description="Required once the county has returned the submission.")


class VersionIn(Input):
    expected_version: Version


class MarkIn(Input):
    score: Score | None = None
    comment: str = text(2000, "", description="Required where the score differs from the level below.")


class ClaimDecisionIn(Input):
    approved: bool
    reason: str = text(2000, "", description="Required to reject, to change a decision, and always at audit.")


class ReviewIn(Input):
    expected_version: Version
    items: dict[ItemId, MarkIn] = {}
    claims: dict[ItemId, ClaimDecisionIn] = Field({}, description="Decisions on no-duty claims, by item id.")
    reason: str = text(500, "", description="Required when an item already scored at this level is changed.")


class AuditIn(ReviewIn):
    reason: str = text(500, description="Why the audit overrides the scores; kept in the audit trail.")


class ReturnIn(Input):
    expected_version: Version
    reason: str = text(2000, description="What the office must fix; shown to it.")


class ForwardIn(Input):
    expected_version: Version
    opinion: str = text(5000, description="The county's opinion (考评意见).")
    opinion_date: date | None = Field(None, description="Today when left out.")


class CloseAuditIn(Input):
    expected_version: Version
    opinion: str = text(5000, "")


def _marks(items: dict) -> dict[str, dict]:
    return {item_id: entry.model_dump(exclude_unset=True) for item_id, entry in items.items()}


def _decisions(claims: dict) -> dict[str, tuple[bool, str]]:
    return {item_id: (c.approved, c.reason) for item_id, c in claims.items()}


WRITE = {200: SubmissionDetailOut, **RESPONSES}


@router.post("/assessments/submissions/{id}/draft", response=WRITE, url_name="assessment_submission_draft")
def assessment_submission_draft(request, id: Path[Id], payload: DraftIn):
    """The office saves its self-evaluation: scores, comments, no-duty claims and the declaration form."""
    user = business_user(request)
    sub = _for(user, id, "self_assessable_by")
    declaration = payload.declaration.model_dump(exclude_unset=True) if payload.declaration else {}
    return _written(user, id, lambda: services.submission_save_draft(
        actor=user, submission=sub, expected_version=payload.expected_version, items=_marks(payload.items),
        declaration=declaration, reason=payload.reason))


@router.post("/assessments/submissions/{id}/submit", response=WRITE, url_name="assessment_submission_submit")
def assessment_submission_submit(request, id: Path[Id], payload: VersionIn):
    """The office sends its self-evaluation to the county; refused (422) with the list of what is missing, or
    after its `submit_deadline` (422, the message names the date; saving the draft stays open)."""
    user = business_user(request)
    sub = _for(user, id, "self_assessable_by")
    return _written(user, id, lambda: services.submission_submit(
        actor=user, submission=sub, expected_version=payload.expected_version))


@router.post("/assessments/submissions/{id}/review", response=WRITE, url_name="assessment_submission_review")
def assessment_submission_review(request, id: Path[Id], payload: ReviewIn):
    """The county's scores and comments beside the office's own, and its decisions on no-duty claims."""
    user = business_user(request)
    sub = _for(user, id, "reviewable_by")
    return _written(user, id, lambda: services.review_save(
        actor=user, submission=sub, expected_version=payload.expected_version, items=_marks(payload.items),
        reason=payload.reason, claims=_decisions(payload.claims)))


@router.post("/assessments/submissions/{id}/return", response=WRITE, url_name="assessment_submission_return")
def assessment_submission_return(request, id: Path[Id], payload: ReturnIn):
    """The county sends the submission back to the office with its reason."""
    user = business_user(request)
    sub = _for(user, id, "reviewable_by")
    return _written(user, id, lambda: services.submission_return(
        actor=user, submission=sub, expected_version=payload.expected_version, reason=payload.reason))


@router.post("/assessments/submissions/{id}/forward", response=WRITE, url_name="assessment_submission_forward")
def assessment_submission_forward(request, id: Path[Id], payload: ForwardIn):
    """The county's verdict with its opinion: every item scored and every claim decided, else 422 listing what is missing."""
    user = business_user(request)
    sub = _for(user, id, "reviewable_by")
    return _written(user, id, lambda: services.submission_forward(
        actor=user, submission=sub, expected_version=payload.expected_version, opinion=payload.opinion,
        opinion_date=payload.opinion_date))


@router.post("/assessments/submissions/{id}/audit", response=WRITE, url_name="assessment_submission_audit")
def assessment_submission_audit(request, id: Path[Id], payload: AuditIn):
    """The auditing unit overrides item scores (a null score removes an override) and decides claims; with a reason."""
    user = business_user(request)
    sub = _for(user, id, "auditable_by")
    return _written(user, id, lambda: services.audit_save(
        actor=user, submission=sub, expected_version=payload.expected_version, items=_marks(payload.items),
        reason=payload.reason, claims=_decisions(payload.claims)))


@router.post("/assessments/submissions/{id}/audit/close", response=WRITE,
             url_name="assessment_submission_audit_close")
def assessment_submission_audit_close(request, id: Path[Id], payload: CloseAuditIn):
    """The auditing unit closes the audit of this submission, with an optional opinion."""
    user = business_user(request)
    sub = _for(user, id, "auditable_by")
    return _written(user, id, lambda: services.submission_audit(
        actor=user, submission=sub, expected_version=payload.expected_version, opinion=payload.opinion))


# --- the county: pilot offices ---------------------------------------------------------------------------


class PilotIn(Input):
    pilot: bool


@router.post("/assessments/submissions/{id}/pilot", response=WRITE, url_name="assessment_submission_pilot")
def assessment_submission_pilot(request, id: Path[Id], payload: PilotIn):
    """The reviewing county marks (or unmarks) the office as a pilot office (试点)."""
    user = business_user(request)
    sub = _for(user, id, "reviewable_by")
    services.submission_set_pilot(actor=user, submission=sub, pilot=payload.pilot)
    return _submission_detail(user, id)


# --- the office: evidence files ----------------------------------------------------------------------------


def _multipart(run):
    """Guards an operation taking multipart/form-data. The caller is authenticated before the body is read (an
    anonymous upload is refused unread), and a body Django cannot parse (no boundary, too many parts or fields),
    which ninja would answer with a 500, is a 400."""

    @wraps(run)
    def checked(request, *args, **kwargs):
        api = run.__self__.api  # the operation's NinjaAPI: its error handlers and renderer
        if TokenAuth()(request) is None:
            return api.on_exception(request, AuthenticationError())
        try:
            request.POST  # noqa: B018  (parses the body)
        except (MultiPartParserError, SuspiciousOperation):
            message = _("The request body is not valid multipart/form-data.")
            body = {"code": ErrorCode.VALIDATION_ERROR.value, "message": message, "field": None,
                    "errors": [{"field": None, "message": message}]}
            return api.create_response(request, body, status=400)
        return run(request, *args, **kwargs)

    return checked


# The types evidence may have (checked by content on upload), as the download declares them.
_FILE = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD = {"responses": {200: {"description": "The file.", "content": {mime: _FILE for mime in MIME.values()}}}}


class EvidenceIn(Input):
    item_id: ItemId = Field(description="The scored item the file belongs to.")
    reason: str = text(500, "", description="Required once the county has returned the submission.")


def _evidence_or_404(pk: int) -> Evidence:
    evidence = Evidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    return evidence


@router.post("/assessments/submissions/{id}/evidence", response={201: EvidenceOut, **ERROR_RESPONSES},
             url_name="assessment_evidence_upload")
@decorate_view(_multipart)
def assessment_evidence_upload(request, id: Path[Id], payload: Form[EvidenceIn], file: File[UploadedFile]):
    """The office attaches a file to an item (multipart/form-data): a JPEG or PNG photo, PDF, .xlsx or .docx,
    checked by its content; the size limit is the web form's."""
    user = business_user(request)
    sub = _for(user, id, "self_assessable_by")
    evidence = services.evidence_add(actor=user, submission=sub, item_id=payload.item_id, upload=file,
                                     reason=payload.reason)
    return Status(201, _evidence_out(evidence))


@router.get("/assessments/evidence/{id}", response=ERROR_RESPONSES, openapi_extra=DOWNLOAD,
            url_name="assessment_evidence_download")
def assessment_evidence_download(request, id: Path[Id]):
    """One evidence file, for anyone who may see its submission."""
    user = business_user(request)
    evidence = _evidence_or_404(id)
    selectors.submission_or_404(user, evidence.submission_id)
    try:
        handle = evidence.file.open("rb")
    except OSError:
        # The row outlived its file (storage restored from an older backup): nothing to send.
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=MIME.get(evidence.content_type, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete("/assessments/evidence/{id}", response={204: None, **ERROR_RESPONSES},
               url_name="assessment_evidence_delete")
def assessment_evidence_delete(
    request, id: Path[Id],
    reason: str = Query("", max_length=500, pattern=NUL_FREE,
                        description="Required once the county has returned the submission."),
):
    """The office removes an evidence file while it is editing its submission."""
    user = business_user(request)
    evidence = _evidence_or_404(id)
    _for(user, evidence.submission_id, "self_assessable_by")
    services.evidence_delete(actor=user, evidence=evidence, reason=reason)
    return Status(204, None)


# --- the city: vetoes, bonuses, flags, publication, revocation --------------------------------------------


def _run_by(user, pk: int) -> Submission:
    """The submission if visible (else 404, recorded) and the caller runs its campaign (else 403)."""
    sub = selectors.submission_or_404(user, pk)
    if not selectors.can_run(user, sub.campaign):
        raise _city_only()
    return sub


class VetoIn(Input):
    veto_id: str = text(60, min_length=1, description="A veto of the campaign's scheme, e.g. `major-accident`.")
    occurred_on: date
    description: str = text(5000)


@router.post("/assessments/submissions/{id}/vetoes", response=WRITE, url_name="assessment_veto_register")
@decorate_view(_multipart)
def assessment_veto_register(request, id: Path[Id], payload: Form[VetoIn], evidence: File[UploadedFile] = None):
    """The city registers a veto event (multipart/form-data, optional `evidence` file). The unit then fails;
    after publication its award is revoked (摘牌)."""
    user = business_user(request)
    sub = _run_by(user, id)
    services.veto_register(actor=user, submission=sub, veto_id=payload.veto_id,
                           occurred_on=payload.occurred_on, description=payload.description, evidence=evidence)
    return _submission_detail(user, id)


@router.get("/assessments/vetoes/{id}/evidence", response=ERROR_RESPONSES, openapi_extra=DOWNLOAD,
            url_name="assessment_veto_evidence_download")
def assessment_veto_evidence_download(request, id: Path[Id]):
    """The evidence file of a veto event, for anyone who may see the vetoed submission; 404 when it has none."""
    user = business_user(request)
    veto = VetoEvent.objects.filter(pk=id).first()
    if veto is None:
        raise Http404
    # Scope first, so an outsider's attempt is recorded whether or not the veto has a file.
    selectors.submission_or_404(user, veto.submission_id)
    if not veto.evidence:
        raise Http404
    try:
        handle = veto.evidence.open("rb")
    except OSError:
        # The row outlived its file (storage restored from an older backup): nothing to send.
        raise Http404 from None
    # The file is stored under its digest; the name is the web download's.
    response = FileResponse(handle, as_attachment=True, filename=veto.evidence_file_name,
                            content_type=MIME.get(veto.evidence_type, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    return response


class BonusIn(Input):
    bonus_id: str = text(60, min_length=1, description="A bonus of the campaign's scheme, e.g. `city-satisfied`.")
    awarded_on: date
    note: str = text(2000, "")


@router.post("/assessments/submissions/{id}/bonuses", response=WRITE, url_name="assessment_bonus_register")
def assessment_bonus_register(request, id: Path[Id], payload: BonusIn):
    """The city registers a commendation that adds points (满意站所), before publication."""
    user = business_user(request)
    sub = _run_by(user, id)
    services.bonus_register(actor=user, submission=sub, bonus_id=payload.bonus_id, awarded_on=payload.awarded_on,
                            note=payload.note)
    return _submission_detail(user, id)


class ReasonIn(Input):
    reason: str = text(2000)


@router.post("/assessments/flags/{id}/dismiss", response=WRITE, url_name="assessment_flag_dismiss")
def assessment_flag_dismiss(request, id: Path[Id], payload: ReasonIn):
    """The city lifts a flag it finds unfounded (ids in `flag_records` of the submission), with its reason."""
    user = business_user(request)
    flag = Flag.objects.filter(pk=id).first()
    if flag is None:
        raise Http404
    _run_by(user, flag.submission_id)
    services.flag_dismiss(actor=user, flag=flag, reason=payload.reason)
    return _submission_detail(user, flag.submission_id)


@router.post("/assessments/submissions/{id}/revoke", response=WRITE, url_name="assessment_award_revoke")
def assessment_award_revoke(request, id: Path[Id], payload: ReasonIn):
    """The city takes back a published award (摘牌) for a reason other than a registered veto event."""
    user = business_user(request)
    sub = _run_by(user, id)
    services.award_revoke(actor=user, submission=sub, reason=payload.reason)
    return _submission_detail(user, id)


# --- the city: deadlines ---------------------------------------------------------------------------------------


class ExtensionIn(Input):
    extended_to: date = Field(
        description="The office's new last day to submit: not in the past; for a draft after the campaign's "
        "self-evaluation deadline and not after the county review deadline; for a returned submission after the "
        "county review deadline and not after the city audit deadline."
    )
    reason: str = text(2000, description="Why the office gets more time (required); the office reads it in its inbox.")


@router.post("/assessments/submissions/{id}/extend", response=WRITE, url_name="assessment_submission_extend")
def assessment_submission_extend(request, id: Path[Id], payload: ExtensionIn):
    """The city gives one office's draft, or a submission the county returned, more time to submit (延期), with a
    reason; granting again replaces the date.
    The office is told in its inbox; the submission's `version` does not move."""
    user = business_user(request)
    sub = _run_by(user, id)
    services.submission_extend_deadline(actor=user, submission=sub, extended_to=payload.extended_to,
                                        reason=payload.reason)
    return _submission_detail(user, id)


class DeadlinesIn(Input):
    self_deadline: date
    review_deadline: date
    audit_deadline: date
    reason: str = text(2000, description="Why the deadlines move (required); kept in the audit trail.")


@router.post("/assessments/campaigns/{id}/deadlines", response={200: CampaignDetailOut, **ERROR_RESPONSES},
             url_name="assessment_campaign_deadlines")
def assessment_campaign_deadlines(request, id: Path[Id], payload: DeadlinesIn):
    """The city moves the campaign's three stage deadlines, in stage order, with a reason; refused (422 on
    `review_deadline`) while a draft's extension would lie after the new review deadline, and (422 on
    `audit_deadline`) while an earlier audit deadline would cut short a returned submission's extension."""
    user = business_user(request)
    campaign = selectors.campaign_or_404(user, id, "change deadlines via api")
    if not selectors.can_run(user, campaign):
        raise _city_only()
    services.campaign_change_deadlines(
        actor=user, campaign=campaign, self_deadline=payload.self_deadline,
        review_deadline=payload.review_deadline, audit_deadline=payload.audit_deadline, reason=payload.reason,
    )
    return _campaign_detail(user, selectors.campaigns_for(user).get(pk=campaign.pk))


class ResultRowOut(Schema):
    submission_id: int
    unit_id: int
    unit_code: str
    unit_name: str
    county_id: int = Field(description="The reviewing county bureau.")
    county_name: str
    total: float
    max: float
    passed: bool
    grade: str
    awarded: bool = Field(description="Reached the standard and not revoked.")
    reasons: list[str] = Field(description="Why the grade is what it is (the rubric engine's reasons).")
    published_at: datetime
    revoked_at: datetime | None
    revoke_reason: str
    scheme_id: str
    scheme_version: int
    scheme_sha256: str


class ResultPage(Schema):
    count: int
    items: list[ResultRowOut]


def _result_rows(results) -> list[dict]:
    return [
        {
            "submission_id": r.submission_id, "unit_id": r.submission.unit_id, "unit_code": r.submission.unit.code,
            "unit_name": r.submission.unit.name, "county_id": r.submission.reviewer_id,
            "county_name": r.submission.reviewer.name, "total": r.total, "max": r.data.get("max", 0),
            "passed": r.passed, "grade": r.grade, "awarded": r.awarded,
            "reasons": [str(reason) for reason in r.data.get("reasons", [])], "published_at": r.published_at,
            "revoked_at": r.revoked_at, "revoke_reason": r.revoke_reason, "scheme_id": r.scheme_id,
            "scheme_version": r.scheme_version, "scheme_sha256": r.scheme_sha256,
        }
        for r in results
    ]


def _results(user, campaign: Campaign):
    visible = Submission.objects.visible_to(user).filter(campaign=campaign, status=SubmissionStatus.PUBLISHED)
    return (
        Result.objects.filter(submission__in=visible)
        .select_related("submission__unit", "submission__reviewer")
        .defer("marks")
        .order_by("submission__reviewer__code", "submission__unit__code")
    )


class PublishIn(Input):
    county: Id | None = Field(None, description="A county bureau's unit id: publish only its offices.")


@router.post("/assessments/campaigns/{id}/publish", response={200: ResultPage, **ERROR_RESPONSES},
             url_name="assessment_campaign_publish")
def assessment_campaign_publish(request, id: Path[Id], payload: PublishIn):
    """The city publishes the results of the campaign, or of one county; refused (422, with the list) while any
    submission there is not reviewed, or is to be audited and is not. Answers with the results just published."""
    user = business_user(request)
    campaign = selectors.campaign_or_404(user, id, "publish via api")
    if not selectors.can_run(user, campaign):
        raise _city_only()
    county = None
    if payload.county is not None:
        county = Unit.objects.visible_to(user).filter(pk=payload.county, kind=UnitKind.COUNTY).first()
        if county is None:
            # Django's own message id, so its catalogue already has the Chinese text.
            raise ValidationError({"county": _("Select a valid choice. That choice is not one of the available choices.")})
    published = services.campaign_publish(actor=user, campaign=campaign, county=county)
    rows = _results(user, campaign).filter(pk__in=[r.pk for r in published])
    return {"count": len(published), "items": _result_rows(rows)}


@router.get("/assessments/campaigns/{id}/results", response={200: ResultPage, **ERROR_RESPONSES},
            url_name="assessment_campaign_results")
def assessment_campaign_results(request, id: Path[Id], filters: Query[Page]):
    """The published results the caller may see (an office its own, a county its offices', the city all), by county
    and office; with the scheme each was scored by. Nothing before publication."""
    user = business_user(request)
    campaign = selectors.campaign_or_404(user, id, "view via api")
    return page_of(_results(user, campaign), filters, _result_rows)
