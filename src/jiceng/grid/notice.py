"""The public notice of a grid (第二十一条): map, photo, name, phone, duties; a page and a printable poster."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from .models import GridProfile, GridWorker


def _outline(boundary, width: int = 300, height: int = 200) -> str:
    """The boundary's outer ring as SVG points, fitted into width × height (no map tiles: none leave the site)."""
    if not boundary:
        return ""
    from shapely.geometry import shape

    shp = shape(boundary)
    poly = max(shp.geoms, key=lambda g: g.area) if shp.geom_type == "MultiPolygon" else shp
    minx, miny, maxx, maxy = poly.bounds
    sx = (width - 10) / ((maxx - minx) or 1)
    sy = (height - 10) / ((maxy - miny) or 1)
    s = min(sx, sy)
    return " ".join(f"{5 + (x - minx) * s:.1f},{height - 5 - (y - miny) * s:.1f}" for x, y in poly.exterior.coords)


def context(request, code: str) -> dict:
    profile = GridProfile.objects.select_related("unit").filter(unit__code=code, unit__kind="grid").first()
    if profile is None:
        raise Http404
    worker = GridWorker.objects.filter(unit=profile.unit, active=True).first()
    url = request.build_absolute_uri(reverse("grid_public:notice", args=[code]))
    import segno

    qr = segno.make(url, error="m").svg_inline(scale=4)
    return {"profile": profile, "grid": profile.unit, "worker": worker, "outline": _outline(profile.boundary),
            "qr": qr, "url": url, "village": type(profile.unit).objects.get_parent(profile.unit)}


def notice(request, code):
    return render(request, "grid/notice.html", context(request, code))


def poster(request, code):
    from jiceng.assessments.outputs.pdf import html_to_pdf

    pdf = html_to_pdf(render_to_string("grid/poster.html", context(request, code)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="grid-{code}.pdf"'
    return response
