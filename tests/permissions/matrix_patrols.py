"""patrols' routes: the list, a new patrol, the field page and its track and findings (offline queue),
areas and plans, the monthly report, and the map (core.maps' page, mounted here)."""

from __future__ import annotations

import json
from datetime import datetime

from jiceng.core.capabilities import VIEW
from jiceng.patrols.capabilities import PLAN, RECORD

from .kit import EMPTY, FORBIDDEN, Route


def _patrol(w) -> dict:
    from patrols.objects import patrol_of

    return {"pk": w.once("patrol", lambda: patrol_of(w.region)).pk}


def _finding(w) -> dict:
    from patrols.objects import finding_of

    return {"pk": w.once("finding", lambda: finding_of(w.region)).pk}


def _patrols(w):
    from jiceng.patrols.models import Patrol

    return list(Patrol.objects.order_by("pk").values())


def _segments(w):
    from jiceng.patrols.models import TrackSegment

    return list(TrackSegment.objects.order_by("pk").values_list("pk", "digest"))


def _findings(w):
    from jiceng.patrols.models import Finding

    return list(Finding.objects.order_by("pk").values_list("pk", "description", "clue_id"))


def _areas(w):
    from jiceng.patrols.models import PatrolArea, PatrolPlan

    return list(PatrolArea.objects.order_by("pk").values_list("pk", "name")) + list(PatrolPlan.objects.values_list("pk"))


def _track(w) -> dict:
    from django.utils import timezone

    times = [timezone.make_aware(datetime(2026, 12, 3, 9, m)).isoformat() for m in (0, 1)]
    return {"segments": json.dumps([{"coordinates": [[112.3, 28.6], [112.301, 28.601]], "times": times}])}


def _county_a_unit(w) -> dict:
    return {"pk": w.region.county_a.pk}


_STAFF = {"actor": "office_staff", "denied": FORBIDDEN, "wrong_role": "county_reviewer"}

ROUTES = [
    Route("patrols:list", VIEW, denied=FORBIDDEN, outside=EMPTY, kwargs=lambda w: _patrol(w) and {},
          secret=lambda w: ["矩阵巡查员"]),
    # A new patrol: the form offers only units where the user records patrols; another county's unit is refused (422).
    Route("patrols:create", RECORD, methods=("get", "post"), outside=EMPTY, outside_post=422, effect=_patrols,
          secret=lambda w: [w.region.office_a1.name],
          payload=lambda w: {"unit": w.region.office_a1.pk, "patrol_date": "2026-12-03", "inspectors": "矩阵新巡查"},
          **_STAFF),
    Route("patrols:detail", VIEW, kwargs=_patrol, denied=FORBIDDEN),
    Route("patrols:track_add", RECORD, methods=("post",), kwargs=_patrol, payload=_track, effect=_segments, **_STAFF),
    Route("patrols:finding_add", RECORD, methods=("post",), kwargs=_patrol, effect=_findings,
          payload=lambda w: {"description": "矩阵新发现"}, **_STAFF),
    # One step to a clue (enforcement.services.clue_register, source 动态巡查).
    Route("patrols:finding_clue", RECORD, methods=("post",), kwargs=_finding, effect=_findings,
          payload=lambda w: {}, **_STAFF),
    Route("patrols:area_list", PLAN, methods=("get", "post"), outside=EMPTY, outside_post=422, denied=FORBIDDEN,
          actor="office_head", wrong_role="office_staff", effect=_areas, kwargs=lambda w: _patrol(w) and {},
          secret=lambda w: ["矩阵片区"],
          payload=lambda w: {"form": "area", "unit": w.region.office_a1.pk, "name": "矩阵新片区", "responsible": "矩阵"}),
    Route("patrols:report", VIEW, denied=FORBIDDEN, outside=EMPTY, secret=lambda w: [w.region.office_a1.name]),
    # The map of the user's own top unit: a redirect for everyone holding VIEW.
    Route("patrols:map_home", VIEW, denied=FORBIDDEN, scoped=False, ok=(302,)),
    Route("patrols:map", VIEW, kwargs=_county_a_unit, denied=FORBIDDEN),
    Route("patrols:map_data", VIEW, kwargs=_county_a_unit, denied=FORBIDDEN),
]
