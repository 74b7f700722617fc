"""Locations as GeoJSON geometries (a point or a polygon), validated with shapely.

    clean_geometry({"type": "Point", "coordinates": [112.35, 28.55]}) -> the same dict, normalised
    clean_geometry("{bad") -> ValidationError naming the field and the reason

A clue, a case and a spot keep their geometry as a GeoJSON dict in a JSONField (WGS 84, lon/lat);
a Feature is reduced to its geometry. No GIS database is needed; shapely checks the shape.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TYPES = ("Point", "Polygon", "MultiPolygon")


def clean_geometry(value, *, field: str = "location"):
    """A valid GeoJSON Point/Polygon/MultiPolygon as a dict, None for empty, or a ValidationError on `field`."""
    if value in (None, "", {}):
        return None
    from shapely.geometry import mapping, shape

    def refuse(reason):
        raise ValidationError({field: _("The location is not valid GeoJSON: %(reason)s") % {"reason": reason}})

    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except ValueError as exc:
            refuse(_("it cannot be read as JSON (%(error)s)") % {"error": exc})
    if not isinstance(value, dict):
        refuse(_("it must be an object with a type and coordinates"))
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
        if not isinstance(value, dict):
            refuse(_("the feature has no geometry"))
    kind = value.get("type")
    if kind not in ALLOWED_TYPES:
        refuse(_("the type must be one of %(types)s, not %(type)s") % {"types": ", ".join(ALLOWED_TYPES),
                                                                        "type": kind or "—"})
    if "coordinates" not in value:
        refuse(_("the coordinates are missing"))
    try:
        geometry = shape(value)
    except Exception as exc:  # shapely raises several kinds for bad coordinates
        refuse(_("the coordinates are malformed (%(error)s)") % {"error": exc})
    if geometry.is_empty:
        refuse(_("the geometry is empty"))
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        refuse(_("the coordinates are outside longitude −180…180 / latitude −90…90"))
    if not geometry.is_valid:
        from shapely.validation import explain_validity

        refuse(_("the polygon is not valid (%(error)s)") % {"error": explain_validity(geometry)})
    return json.loads(json.dumps(mapping(geometry)))


def centroid(geometry: dict | None) -> tuple[float, float] | None:
    """(lon, lat) of the geometry's centre, for a marker; None without a geometry."""
    if not geometry:
        return None
    from shapely.geometry import shape

    c = shape(geometry).centroid
    return (round(c.x, 6), round(c.y, 6))
