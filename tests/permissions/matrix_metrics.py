"""The metrics app's routes: the dashboard of a unit, the records behind a value, and /api/v1/indicators/.

Reading figures is reading the unit's data (the core VIEW capability). A unit out of scope is the
audited 404 (the dashboard and the API); the records list answers an outsider with nothing.
"""

from __future__ import annotations

from jiceng.core.capabilities import VIEW

from .kit import EMPTY, FORBIDDEN, Op, Route

ROUTES = [
    # The top of the user's scope: a redirect to its dashboard.
    Route("metrics:dashboard", VIEW, scoped=False, denied=FORBIDDEN, ok=(302,)),
    Route("metrics:unit_dashboard", VIEW, kwargs=lambda w: {"code": w.region.county_a.code}, denied=FORBIDDEN),
    Route("metrics:records", VIEW, outside=EMPTY, denied=FORBIDDEN),
    Op("GET", "/api/v1/indicators/", VIEW, scoped=False),
    Op("GET", "/api/v1/indicators/{indicator}/values/{unit}", VIEW,
       params=lambda w: {"indicator": "org.staff_count", "unit": w.region.office_a1.code}),
]


def _flag(w):
    """An open 数据不实 flag on office A1's submission (key only: the flag stands on its own)."""
    from jiceng.metrics.models import DataFlag

    return w.once("metrics_flag", lambda: DataFlag.objects.create(
        unit=w.region.office_a1, key="submission:999999", item="3.3.1", indicator="org.staff_count", period="2026",
        claimed=1.5, supported=0, value=80.0, numerator=8, denominator=10))


def _flag_state(w):
    from jiceng.metrics.models import DataFlag

    return list(DataFlag.objects.filter(pk=_flag(w).pk).values_list("state", "decided_by_id", "reason"))


ROUTES += [
    Route("metrics:flag_decide", "assessment.review", methods=("post",), kwargs=lambda w: {"pk": _flag(w).pk},
          outsider="other_county_reviewer", denied=FORBIDDEN, wrong_role="office_head", wrong_status=FORBIDDEN,
          payload=lambda w: {"decision": "confirm"}, effect=_flag_state),
]
