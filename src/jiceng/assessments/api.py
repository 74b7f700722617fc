"""/api/v1 endpoints of the assessment workflow: thin, scoped like the web pages, writing through assessments.services.

Reads go through selectors (campaigns_for, submission_or_404). A write first
finds the submission among those the caller may see (else 404, recorded), then
checks the caller may do *this* with it (else 403: seeing it is no leak, and a
read-only integration learns what is wrong); the service checks scope again.
A stale `expected_version` answers 409 with the values stored now.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from jiceng.api.auth import business_user
from jiceng.api.common import MAX_COUNT, NUL_FREE, Id, Input, Page, omittable, omittable_text, page_of, text
from jiceng.api.errors import ERROR_RESPONSES, ErrorCode, ErrorOut

from . import schemes, selectors, services
from .errors import Conflict
from .models import AuditMode, Campaign, Level, Submission
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


@router.get("/assessments/campaigns/{id}", response={200: CampaignDetailOut, **ERROR_RESPONSES},
            url_name="assessment_campaign_detail")
def assessment_campaign_detail(request, id: Path[Id]):
    user = business_user(request)
    campaign = selectors.campaign_or_404(user, id, "view via api")
    cs = schemes.campaign_scheme(campaign)
    return {
        **_campaign_out(campaign),
        "targets": [{"due": t.due, "share": t.share} for t in campaign.targets.all()],
        "items": [
            {"id": r.id, "title": r.title or r.text, "points": r.points, "check": r.check}
            for r in schemes.rows(cs)
            if r.kind == "item"
        ],
    }


# --- submissions: reads ---------------------------------------------------------------------------


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


class SubmissionDetailOut(SubmissionOut):
    declaration: DeclarationOut
    return_reason: str
    county_opinion: str
    opinion_date: date | None
    audit_opinion: str
    marks: dict[Level, dict[str, MarkOut]] = Field(description="Per level (self, county, city), per item.")
    claims: list[ClaimOut]
    flags: list[str] = Field(description="Active flags, such as false-data (数据不实).")
    result: ResultOut | None = Field(description="The published result; null until publication.")
    can_edit: bool
    can_review: bool
    can_audit: bool


class SubmissionPage(Schema):
    count: int
    items: list[SubmissionOut]


class SubmissionFilters(Page):
    campaign: Id | None = None
    status: SubmissionStatus | None = None


def _submission_out(sub: Submission) -> dict:
    out = {name: getattr(sub, name) for name in SubmissionOut.model_fields if hasattr(sub, name)}
    out.update(unit_code=sub.unit.code, unit_name=sub.unit.name)
    return out


def _submission_detail(user, pk: int) -> dict:
    sub = selectors.submission_or_404(user, pk)
    marks: dict[str, dict[str, dict]] = {level: {} for level in Level.values}
    for m in sub.marks.all():
        marks[m.level][m.item_id] = {"score": m.score, "comment": m.comment, "by": m.actor_name, "at": m.updated_at}
    result = selectors.result_of(sub)
    return {
        **_submission_out(sub),
        "declaration": {name: getattr(sub, name) for name in services.DECLARATION_FIELDS},
        "return_reason": sub.return_reason,
        "county_opinion": sub.county_opinion,
        "opinion_date": sub.opinion_date,
        "audit_opinion": sub.audit_opinion,
        "marks": marks,
        "claims": [
            {name: getattr(c, name) for name in ClaimOut.model_fields} for c in sub.claims.order_by("item_id")
        ],
        "flags": [f.kind for f in sub.flags.filter(active=True)],
        "result": None if result is None else {
            **{name: getattr(result, name) for name in ResultOut.model_fields if name != "data"},
            "data": result.data,
        },
        "can_edit": sub.status in services.OFFICE_EDITABLE
        and Submission.objects.self_assessable_by(user).filter(pk=sub.pk).exists(),
        "can_review": Submission.objects.reviewable_by(user).filter(pk=sub.pk).exists(),
        "can_audit": sub.needs_audit and Submission.objects.auditable_by(user).filter(pk=sub.pk).exists(),
    }


@router.get("/assessments/submissions/", response={200: SubmissionPage, **ERROR_RESPONSES},
            url_name="assessment_submission_list")
def assessment_submission_list(request, filters: Query[SubmissionFilters]):
    """Submissions the caller may see: an office its own, a county its offices', the city all."""
    user = business_user(request)
    subs = Submission.objects.visible_to(user).select_related("unit")
    if filters.campaign is not None:
        subs = subs.filter(campaign_id=filters.campaign)
    if filters.status:
        subs = subs.filter(status=filters.status)
    subs = subs.order_by("campaign_id", "unit__code")
    return page_of(subs, filters, lambda rows: [_submission_out(s) for s in rows])


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
    """The office sends its self-evaluation to the county; refused (422) with the list of what is missing."""
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
