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
