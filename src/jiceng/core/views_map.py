"""The map page of a unit (a township office or a whole county) and its GeoJSON (core.maps).

Mounted by the patrols app (patrols:map, patrols:map_data); every layer comes from core.maps'
registry, so other apps add their layers without touching this page.
"""

from __future__ import annotations

import json

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import maps
from .capabilities import VIEW
from .refusals import get_scoped_or_404
from .views import capability_required


def _unit(request, pk):
    unit_model = apps.get_model("org", "Unit")
    return get_scoped_or_404(unit_model.objects.all(), request.user, VIEW, pk=pk)


@capability_required(VIEW)
def map_home(request):
    """The map of the user's own top unit."""
    unit_model = apps.get_model("org", "Unit")
    top = unit_model.objects.all().scope_roots(request.user, VIEW).order_by("depth", "path").first()
    if top is None:
        return render(request, "core/map.html", {"unit": None, "layers": []}, status=200)
    return redirect("patrols:map", pk=top.pk)


@capability_required(VIEW)
def map_page(request, pk):
    unit = _unit(request, pk)
    layers = maps.layers_for(request.user)
    config = {
        "data": f"{request.path}data.json",
        "tiles": getattr(settings, "JICENG_MAP_TILES", "") or "",
        "layers": [{"key": layer.key, "label": str(layer.label), "color": layer.color} for layer in layers],
        "texts": {"open": _("Open"), "empty": _("Nothing on the map for this period.")},
    }
    return render(request, "core/map.html", {
        "unit": unit, "layers": layers, "period": request.GET.get("period", ""),
        "config": json.dumps(config, ensure_ascii=False),
    })


@capability_required(VIEW)
def map_data(request, pk):
    """GeoJSON: {"boundaries": FeatureCollection, "features": FeatureCollection} for ?period=&layer=…"""
    unit = _unit(request, pk)
    try:
        period = maps.Period.parse(request.GET.get("period"))
    except ValidationError as exc:
        return JsonResponse({"errors": exc.messages}, status=400)
    keys = [key for key in request.GET.getlist("layer") if key]
    return JsonResponse({
        "boundaries": {"type": "FeatureCollection", "features": maps.boundaries(request.user, unit)},
        "features": maps.collect(request.user, unit, period, keys),
    }, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
