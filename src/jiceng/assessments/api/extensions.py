"""The city's extension of one office's deadline and its change of a campaign's stage deadlines."""

from __future__ import annotations

from datetime import date

from ninja import Field, Path

from jiceng.api.auth import business_user
from jiceng.api.common import (
    Id,
    Input,
    text,
)
from jiceng.api.errors import ERROR_RESPONSES

from .. import selectors, services
from ._common import WRITE, _city_only, _run_by, router
from .schemas import CampaignDetailOut, _campaign_detail, _submission_detail


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
