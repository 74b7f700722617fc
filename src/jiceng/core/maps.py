"""The map's layer registry and GeoJSON checks (issue 14, "Map"; docs/architecture.md "The map").

An app registers each of its layers from `ready()`:

    maps.register_layer("patrols", "tracks", _("Patrol tracks"), "jiceng.patrols.maps.track_features")

The dotted path names `features(user, unit, period) -> list[GeoJSON Feature dicts]`: the
layer's records of `unit`'s subtree in `period`, read through `restrict(user, VIEW)` (the
provider's job; the page only ever passes a unit the user may view). Each feature's
properties carry at least `label` and `url` (the record's page, opened from the marker);
`date` is shown in the popup when present. The base layer, the unit boundaries, comes from
one provider registered with `register_boundaries(dotted_path)` (`(user, unit) -> features`).

`parse_geometry(text_or_dict, allowed=...)` is the one check of GeoJSON coming in (a form
field, an import, the offline queue): valid JSON, a known geometry type, coordinates in
range, a valid shape (shapely); anything else is a ValidationError with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .capabilities import VIEW


@dataclass(frozen=True)
class Layer:
    app: str
    name: str
    label: Any
    path: str
    capability: str = VIEW
    color: str = "#198754"

    @property
    def key(self) -> str:
        return f"{self.app}.{self.name}"

    def features(self, user, unit, period: Period) -> list[dict]:
        if not user.has_capability(self.capability):
            return []
        found = import_string(self.path)(user, unit, period)
        for feature in found:
            feature.setdefault("properties", {})["layer"] = self.key
        return list(found)


@dataclass(frozen=True)
class Period:
    """A closed span of days (a month "2026-12", a year "2026", or none: everything)."""

    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(cls, value: str | None) -> Period:
        value = (value or "").strip()
        if not value:
            return cls()
        try:
            if len(value) == 4:
                year = int(value)
                return cls(date(year, 1, 1), date(year, 12, 31))
            year, month = (int(part) for part in value.split("-"))
            start = date(year, month, 1)
        except (TypeError, ValueError):
            raise ValidationError({"period": _("“%(value)s” is not a month (2026-12) or a year (2026).") % {"value": value[:20]}}) from None
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(start, date.fromordinal(following.toordinal() - 1))

    def filter(self, queryset, field: str):
        """`queryset` limited to rows whose date `field` lies in the period."""
        if self.start:
            queryset = queryset.filter(**{f"{field}__gte": self.start})
        if self.end:
            queryset = queryset.filter(**{f"{field}__lte": self.end})
        return queryset


_LAYERS: dict[str, Layer] = {}
_BOUNDARIES: list[str] = []


def register_layer(app: str, name: str, label, path: str, *, capability: str = VIEW, color: str = "#198754") -> Layer:
    layer = Layer(app, name, label, path, capability, color)
    _LAYERS[layer.key] = layer
    return layer


def register_boundaries(path: str) -> None:
    if path not in _BOUNDARIES:
        _BOUNDARIES.append(path)


def layers() -> list[Layer]:
    return sorted(_LAYERS.values(), key=lambda layer: layer.key)


def layers_for(user) -> list[Layer]:
    return [layer for layer in layers() if user.has_capability(layer.capability)]


def get(key: str) -> Layer:
    return _LAYERS[key]


def boundaries(user, unit) -> list[dict]:
    out: list[dict] = []
    for path in _BOUNDARIES:
        out.extend(import_string(path)(user, unit))
    return out


def collect(user, unit, period: Period, keys: list[str] | None = None) -> dict:
    """One FeatureCollection of the asked layers (all the user's layers when `keys` is empty)."""
    chosen = [layer for layer in layers_for(user) if not keys or layer.key in keys]
    features: list[dict] = []
    for layer in chosen:
        features.extend(layer.features(user, unit, period))
    return {"type": "FeatureCollection", "features": features}


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}


# --- checking GeoJSON that comes in -------------------------------------------------------------------

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def parse_geometry(value, allowed: tuple[str, ...] = GEOMETRY_TYPES, field: str = "geometry") -> dict:
    """The GeoJSON geometry in `value` (text or dict; a Feature gives its geometry), checked; else a
    ValidationError on `field` naming the reason."""
    from shapely.geometry import shape

    def refuse(reason: str):
        return ValidationError({field: _("Malformed GeoJSON: %(reason)s") % {"reason": reason}})

    if isinstance(value, str | bytes):
        try:
            value = json.loads(value)
        except (TypeError, ValueError) as exc:
            raise refuse(_("not JSON (%(error)s).") % {"error": str(exc).strip()[:80]}) from None
    if not isinstance(value, dict):
        raise refuse(_("an object is expected."))
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise refuse(_("the feature has no geometry."))
    kind = value.get("type")
    if kind not in allowed:
        raise refuse(_("the type “%(type)s” is not one of %(allowed)s.") % {"type": str(kind)[:30], "allowed": ", ".join(allowed)})
    try:
        geometry = shape(value)
    except Exception as exc:  # noqa: BLE001 - shapely raises several kinds for bad coordinates
        raise refuse(_("the coordinates cannot be read (%(error)s).") % {"error": str(exc).strip()[:80]}) from None
    if geometry.is_empty:
        raise refuse(_("the geometry is empty."))
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise refuse(_("a coordinate lies outside longitude −180…180 / latitude −90…90."))
    if not geometry.is_valid:
        from shapely.validation import explain_validity

        raise refuse(_("the shape is not valid (%(why)s).") % {"why": explain_validity(geometry)[:80]})
    return {"type": kind, "coordinates": json.loads(json.dumps(value["coordinates"]))}
