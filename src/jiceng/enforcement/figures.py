"""The enforcement figures of seed 001, each as numerator / denominator against its target, from DB aggregates.

    spot_rates(user, unit, year) -> [Rate("履职到位率", 19, 20, 95), Rate("查处到位率", ...), Rate("整改到位率", ...)]
    case_figures(user, unit, year) -> patrol share (≥ 60 %), public filings (≥ 8), exposures (≥ 2, land and mineral),
                                      decisions published on time, decisions revoked/varied/confirmed illegal.

An illegal spot counts as 履职到位 once its case is filed, 查处到位 once decided, 整改到位 once executed
(or the spot is marked rectified). Everything is read through `restrict(user, VIEW)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q

from jiceng.core.capabilities import VIEW

from .models import Case, Judgment, Resource, ReviewOutcome, Spot
from .spots import HANDLED, PUNISHED, RECTIFIED


@dataclass(frozen=True)
class Rate:
    label: str
    numerator: int
    denominator: int
    target: int  # per cent

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / self.denominator).quantize(Decimal("0.1"))

    @property
    def met(self) -> bool | None:
        return None if self.percent is None else self.percent >= self.target


def spot_rates(user, unit, year: int) -> list[Rate]:
    qs = Spot.objects.restrict(user, VIEW).within(unit).filter(year=year, judgment=Judgment.ILLEGAL)
    c = qs.aggregate(
        illegal=Count("pk"),
        handled=Count("pk", filter=Q(case__state__in=HANDLED)),
        punished=Count("pk", filter=Q(case__state__in=PUNISHED)),
        rectified=Count("pk", filter=Q(rectified=True) | Q(case__state__in=RECTIFIED)),
    )
    return [Rate("履职到位率", c["handled"], c["illegal"], 95), Rate("查处到位率", c["punished"], c["illegal"], 95),
            Rate("整改到位率", c["rectified"], c["illegal"], 90)]


def case_figures(user, unit, year: int) -> dict:
    filed = Case.objects.restrict(user, VIEW).within(unit).filter(filed_on__year=year)
    c = filed.aggregate(
        filed=Count("pk"),
        by_patrol=Count("pk", filter=Q(found_by_patrol=True)),
        public=Count("pk", filter=Q(public_filing=True)),
        exposed=Count("pk", filter=Q(exposed=True)),
        exposed_land=Count("pk", filter=Q(exposed=True, resource=Resource.LAND)),
        exposed_mineral=Count("pk", filter=Q(exposed=True, resource=Resource.MINERAL)),
        joint=Count("pk", filter=~Q(joint_departments="")),
    )
    decided = Case.objects.restrict(user, VIEW).within(unit).filter(decided_on__year=year)
    d = decided.aggregate(
        decided=Count("pk"),
        published_due=Count("pk", filter=Q(publication_due__isnull=False)),
        on_time=Count("pk", filter=Q(published_on__isnull=False, published_on__lte=F("publication_due"))),
        overturned=Count("pk", filter=Q(review_outcome__in=(ReviewOutcome.REVOKED, ReviewOutcome.VARIED,
                                                            ReviewOutcome.CONFIRMED_ILLEGAL))),
    )
    return {
        "patrol_share": Rate("动态巡查发现比例", c["by_patrol"], c["filed"], 60),
        "public_filings": c["public"], "public_filings_met": c["public"] >= 8,
        "exposed": c["exposed"], "exposed_met": c["exposed"] >= 2 and c["exposed_land"] >= 1 and c["exposed_mineral"] >= 1,
        "published_on_time": Rate("决定书20日内上网公布", d["on_time"], d["published_due"], 100),
        "decided": d["decided"], "overturned": d["overturned"], "joint": c["joint"],
    }
