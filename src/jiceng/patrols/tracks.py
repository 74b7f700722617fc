"""Patrol tracks as data (pure): the segments a phone sends, checked, never stitched across a gap or a day.

The page sends `[{"coordinates": [[lon, lat], ...], "times": ["ISO time", ...]}, ...]`, one item per
stretch between gaps. Each becomes a GeoJSON LineString kept on its own; its fixes must lie on the
patrol's own day (local time) and in time order.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from jiceng.core.maps import parse_geometry

FIELD = "segments"
MAX_SEGMENTS = 200
MAX_POINTS = 20000


@dataclass(frozen=True)
class Segment:
    geometry: dict
    started_at: datetime
    ended_at: datetime
    points: int
    length_m: int
    digest: str


def haversine_m(a, b) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def length_m(coordinates) -> int:
    return round(sum(haversine_m(a, b) for a, b in zip(coordinates, coordinates[1:], strict=False)))


def _refuse(message: str, **params) -> ValidationError:
    return ValidationError({FIELD: message % params if params else message})


def parse_segments(value, patrol_day: date) -> list[Segment]:
    """The segments in `value` (JSON text or a list), each checked; a ValidationError names the segment and why."""
    if isinstance(value, str | bytes):
        try:
            value = json.loads(value or "[]")
        except ValueError as exc:
            raise _refuse(_("Malformed GeoJSON: not JSON (%(error)s)."), error=str(exc)[:80]) from None
    if not isinstance(value, list) or not value:
        raise _refuse(_("No track was recorded."))
    if len(value) > MAX_SEGMENTS:
        raise _refuse(_("Too many track segments (%(n)s, at most %(max)s)."), n=len(value), max=MAX_SEGMENTS)
    out = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise _refuse(_("Segment %(n)s: an object with coordinates and times is expected."), n=number)
        try:
            geometry = parse_geometry({"type": "LineString", "coordinates": item.get("coordinates")},
                                      allowed=("LineString",), field=FIELD)
        except ValidationError as exc:
            raise _refuse(_("Segment %(n)s: %(reason)s"), n=number, reason=" ".join(exc.messages)) from None
        coordinates = geometry["coordinates"]
        if len(coordinates) > MAX_POINTS:
            raise _refuse(_("Segment %(n)s: too many points."), n=number)
        times = item.get("times")
        if not isinstance(times, list) or len(times) != len(coordinates):
            raise _refuse(_("Segment %(n)s: one time is needed for each point."), n=number)
        moments = []
        for text in times:
            moment = parse_datetime(str(text)) if text else None
            if moment is None:
                raise _refuse(_("Segment %(n)s: “%(time)s” is not a time."), n=number, time=str(text)[:40])
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            moments.append(moment)
        if any(b < a for a, b in zip(moments, moments[1:], strict=False)):
            raise _refuse(_("Segment %(n)s: the times are not in order."), n=number)
        days = {timezone.localtime(m).date() for m in moments}
        if days != {patrol_day}:
            raise _refuse(_("Segment %(n)s: the fixes must all be on the patrol's day %(day)s (a track is never "
                            "joined across days)."), n=number, day=patrol_day.isoformat())
        digest = hashlib.sha256(json.dumps([coordinates, [m.isoformat() for m in moments]]).encode()).hexdigest()
        out.append(Segment(geometry, moments[0], moments[-1], len(coordinates), length_m(coordinates), digest))
    return out
