"""/api/v1/indicators/: the registered indicators and their values, scoped like every other read."""

from __future__ import annotations

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from jiceng.api.auth import business_user
from jiceng.api.common import text
from jiceng.api.errors import ERROR_RESPONSES
from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import VIEW
from jiceng.org.models import Unit

from . import indicators as registry
from . import selectors

router = Router()


class IndicatorOut(Schema):
    id: str
    name: str
    unit: str
    grain: str
    target: float | None
    ratio: bool = Field(description="Whether the value is numerator / denominator × factor (else the numerator).")


class IndicatorPage(Schema):
    count: int
    items: list[IndicatorOut]


class ValueOut(Schema):
    indicator: str
    unit: str = Field(description="The unit's code.")
    period: str
    numerator: float | None
    denominator: float | None
    value: float | None = Field(description="Null where there is no data or the denominator is 0.")


class ValueFilters(Schema):
    period: str = text(10, "", description="2026, 2026-H1, 2026-Q3 or 2026-03 (default: this year).")
    children: bool = False


@router.get("/indicators/", response={200: IndicatorPage, **ERROR_RESPONSES}, tags=["indicators"],
            url_name="indicator_list")
def indicator_list(request):
    """Every registered indicator."""
    business_user(request)
    items = [{"id": ind.id, "name": str(ind.name), "unit": ind.unit, "grain": ind.grain, "target": ind.target,
              "ratio": ind.is_ratio} for ind in registry.all_indicators()]
    return {"count": len(items), "items": items}


@router.get("/indicators/{indicator}/values/{unit}", response={200: list[ValueOut], **ERROR_RESPONSES},
            tags=["indicators"], url_name="indicator_values")
def indicator_values(request, indicator: str, unit: str, filters: Query[ValueFilters]):
    """The indicator's value for a unit (by code; then its direct children): ratios of sums."""
    user = business_user(request)
    found_unit = get_scoped_or_404(Unit.objects.all(), user, VIEW, code=unit)
    found, period = selectors.checked(indicator, filters.period or str(timezone.localdate().year))
    return [value.as_json() for value in selectors.unit_values(found, found_unit, period, filters.children)]
