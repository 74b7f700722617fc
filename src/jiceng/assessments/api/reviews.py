"""The county's review (save, return, forward, pilot) and the audit (save, close)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Path

from jiceng.api.auth import business_user
from jiceng.api.common import (
    Id,
    Input,
    text,
)

from .. import services
from ._common import WRITE, ItemId, Score, Version, _decisions, _for, _marks, _written, router
from .schemas import _submission_detail


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


class PilotIn(Input):
    pilot: bool


@router.post("/assessments/submissions/{id}/pilot", response=WRITE, url_name="assessment_submission_pilot")
def assessment_submission_pilot(request, id: Path[Id], payload: PilotIn):
    """The reviewing county marks (or unmarks) the office as a pilot office (试点)."""
    user = business_user(request)
    sub = _for(user, id, "reviewable_by")
    services.submission_set_pilot(actor=user, submission=sub, pilot=payload.pilot)
    return _submission_detail(user, id)
