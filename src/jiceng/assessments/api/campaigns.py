"""Campaign endpoints: the list, one campaign, and the city starting one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Path, Query
from ninja.responses import Status

from jiceng.api.auth import business_user
from jiceng.api.common import (
    MAX_ID,
    Id,
    Input,
    Page,
    page_of,
    text,
)
from jiceng.api.errors import ERROR_RESPONSES
from jiceng.org.models import Unit, UnitKind
from jiceng.rubrics import list_builtin_schemes

from .. import selectors, services
from ..models import PUBLISH, AuditMode
from ._common import _city_only, router
from .schemas import CampaignDetailOut, CampaignPage, _campaign_detail, _campaign_out


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
    return _campaign_detail(user, selectors.campaign_or_404(user, id, "view via api"))


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
