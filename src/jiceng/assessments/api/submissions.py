"""Submission reads and the office's writes: draft and submit."""

from __future__ import annotations

from ninja import Field, Path, Query

from jiceng.api.auth import business_user
from jiceng.api.common import (
    MAX_COUNT,
    Id,
    Input,
    omittable,
    omittable_text,
    page_of,
    text,
)
from jiceng.api.errors import ERROR_RESPONSES

from .. import services
from ..models import Submission
from ._common import WRITE, ItemId, Score, Version, _for, _marks, _written, router
from .schemas import (
    SubmissionDetailOut,
    SubmissionFilters,
    SubmissionPage,
    _submission_detail,
    _submission_rows,
)


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
