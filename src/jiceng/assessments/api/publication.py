"""Publication of a campaign's results and the published results."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Schema

from jiceng.api.auth import business_user
from jiceng.api.common import (
    Id,
    Input,
    Page,
    page_of,
)
from jiceng.api.errors import ERROR_RESPONSES
from jiceng.org.models import Unit, UnitKind

from .. import selectors, services
from ..models import Campaign, Result, Submission
from ..models import Status as SubmissionStatus
from ._common import _city_only, router


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
