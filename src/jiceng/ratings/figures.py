"""Rating figures per unit, staff member and period, as database aggregates (GROUP BY, no row loop).

    好评率        good (top three levels) / ratings                      (annulled ratings never count)
    主动评价好评率  good among the ratings the applicants gave / those ratings
    未评价率      cases ended in the period without any rating / cases ended in the period
    差评整改率     poor ratings whose rectification is closed (fixed or explained) / poor ratings
    实名差评回访率  real-name poor ratings called back / real-name poor ratings (the target is 100 %)

A period is a month ("2026-11") or a year ("2026"); ratings count by the day they were given, cases
by the day they ended (closed_at, local time).
"""

from __future__ import annotations

import calendar as pycal
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .capabilities import FIGURES
from .models import BAD_MAX, Rating, RectificationState

GOOD = Q(level__gt=BAD_MAX)
BAD = Q(level__lte=BAD_MAX)
CLOSED = Q(rectification__state__in=(RectificationState.FIXED, RectificationState.EXPLAINED))


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    label: str

    @classmethod
    def parse(cls, text: str) -> Period:
        text = (text or "").strip()
        try:
            if len(text) == 4:
                year = int(text)
                return cls(date(year, 1, 1), date(year, 12, 31), text)
            year, month = (int(part) for part in text.split("-"))
            return cls(date(year, month, 1), date(year, month, pycal.monthrange(year, month)[1]), f"{year}-{month:02d}")
        except (ValueError, TypeError):
            raise ValidationError({"period": _("Give a month (2026-11) or a year (2026).")}) from None

    def bounds(self) -> tuple[datetime, datetime]:
        tz = ZoneInfo(settings.TIME_ZONE)
        return datetime.combine(self.first, time.min, tz), datetime.combine(self.last, time.max, tz)


def _ratio(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 1) if den else None


AGGREGATES = dict(
    ratings=Count("pk"),
    good=Count("pk", filter=GOOD),
    given=Count("pk", filter=Q(active=True)),
    given_good=Count("pk", filter=Q(active=True) & GOOD),
    bad=Count("pk", filter=BAD),
    bad_closed=Count("pk", filter=BAD & CLOSED),
    named_bad=Count("pk", filter=BAD & Q(real_name=True)),
    named_bad_called=Count("pk", filter=BAD & Q(real_name=True, rectification__called_back_at__isnull=False)),
)


def _rates(row: dict) -> dict:
    row = dict(row)
    row["good_rate"] = _ratio(row.get("good", 0), row.get("ratings", 0))
    row["active_good_rate"] = _ratio(row.get("given_good", 0), row.get("given", 0))
    row["unrated_rate"] = _ratio(row.get("unrated", 0), row.get("ended", 0))
    row["rectified_rate"] = _ratio(row.get("bad_closed", 0), row.get("bad", 0))
    row["callback_rate"] = _ratio(row.get("named_bad_called", 0), row.get("named_bad", 0))
    return row


def ratings_in(user, period: Period):
    return Rating.objects.restrict(user, FIGURES).filter(annulled=False, rated_on__range=(period.first, period.last))


def by_unit(user, period: Period) -> list[dict]:
    """One row per unit with ratings or ended cases in the period (three GROUP BY queries)."""
    from jiceng.window.models import Case

    rows = {r["unit"]: r for r in ratings_in(user, period).values("unit", "unit__code", "unit__name")
            .annotate(**AGGREGATES).order_by("unit__code")}
    start, end = period.bounds()
    rated = Rating.objects.filter(case=OuterRef("pk"), annulled=False)
    cases = Case.objects.restrict(user, FIGURES).filter(closed_at__range=(start, end))
    unrated = dict(cases.filter(~Exists(rated)).values("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    ended = cases.values("unit", "unit__code", "unit__name").annotate(ended=Count("pk")).order_by("unit__code")
    for row in ended:
        rows.setdefault(row["unit"], {k: 0 for k in AGGREGATES} | {"unit": row["unit"], "unit__code": row["unit__code"],
                                                                     "unit__name": row["unit__name"]})
        rows[row["unit"]].update(ended=row["ended"], unrated=unrated.get(row["unit"], 0))
    for row in rows.values():
        row.setdefault("ended", 0)
        row.setdefault("unrated", 0)
    return [_rates(r) for r in sorted(rows.values(), key=lambda r: r["unit__code"])]


def by_staff(user, period: Period) -> list[dict]:
    """One row per rated staff member (the case's handler) in the period."""
    return [_rates(r) for r in ratings_in(user, period)
            .values("handler", "handler__username", "handler__full_name", "unit__name")
            .annotate(**AGGREGATES).order_by("-ratings", "handler__username")]


def ranking(user, period: Period) -> list[dict]:
    """The windows (posts) of the period, best 好评率 first, then more ratings, then fewer poor ones."""
    rows = [_rates(r) for r in ratings_in(user, period).filter(post__isnull=False)
            .values("post", "post__name", "unit__name").annotate(**AGGREGATES)]
    rows.sort(key=lambda r: (-(r["good_rate"] or 0), -r["ratings"], r["bad"], r["post__name"]))
    for place, row in enumerate(rows, start=1):
        row["place"] = place
    return rows


def totals(rows: list[dict]) -> dict:
    keys = (*AGGREGATES, "ended", "unrated")
    return _rates({k: sum(r.get(k, 0) or 0 for r in rows) for k in keys})
