"""The data behind a campaign's dashboard: progress, scores, sections, counties, lost items, hardware vs software.

Scoped like every read (outputs.common.own_submissions): a county's dashboard
counts and shows its own offices only. The one figure taken from beyond the
reader's scope is the city average of each section, an aggregate of the
published results (published results are public, see the portal) that the
radar chart compares each office with.

Score figures come from the published results (the engine's output frozen at
publication, and the marks sheet it scored, for the items lost); progress
counts every submission. The number of queries does not
grow with the number of offices: one for the progress counts, one for the
results in scope, one for the city average (tests/assessments_outputs assert it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from jiceng.core.scoping import VIEW, holds

from . import schemes
from .models import Campaign, Result, Status
from .outputs.common import number, own_submissions

BIN_WIDTH = 5
BIN_LOW = 60
BIN_HIGH = 100
TOP_LOST = 10


@dataclass
class _CountyAcc:
    # Floats: scores are multiples of the scheme's step (0.5, 0.25 ...), exact in binary.
    name: str
    offices: int = 0
    published: int = 0
    passed: int = 0
    total: float = 0.0
    hardware: float = 0.0
    hardware_max: float = 0.0
    software: float = 0.0
    software_max: float = 0.0


def _plain(value: float) -> int | float:
    return int(value) if value == int(value) else round(value, 2)


def _pct(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _bins() -> list[str]:
    labels = [f"<{BIN_LOW}"]
    labels += [f"{low}–{low + BIN_WIDTH}" for low in range(BIN_LOW, BIN_HIGH, BIN_WIDTH)]
    return [*labels, f"≥{BIN_HIGH}"]


def _bin_of(total: float) -> int:
    if total < BIN_LOW:
        return 0
    if total >= BIN_HIGH:
        return (BIN_HIGH - BIN_LOW) // BIN_WIDTH + 1
    return int((total - BIN_LOW) // BIN_WIDTH) + 1


def _covers_campaign(user, campaign: Campaign) -> bool:
    """The reader's scope holds every office of the campaign (the city), so their results are the city's."""
    if user is None:
        return True
    return holds(user, VIEW, campaign.unit)


def dashboard_data(user, campaign: Campaign) -> dict:
    """Everything the dashboard's charts draw, as JSON-ready data."""
    cs = schemes.campaign_scheme(campaign)
    own = own_submissions(user, campaign)
    stages = [{"id": s.value, "label": str(s.label)} for s in Status]

    progress_rows = list(
        own.values("reviewer__code", "reviewer__name", "status").annotate(n=Count("pk")).order_by("reviewer__code")
    )
    counties: dict[str, _CountyAcc] = {}
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in progress_rows:
        acc = counties.setdefault(row["reviewer__code"], _CountyAcc(row["reviewer__name"]))
        acc.offices += row["n"]
        counts[row["reviewer__code"]][row["status"]] = row["n"]

    # Only the parts drawn: the sections of the frozen output and the marks sheet it scored (the full
    # output, with every item's details and the reasons, is ten times larger to fetch and decode).
    results = list(
        Result.objects.filter(submission__in=own.filter(status=Status.PUBLISHED).values("pk"))
        .values("submission__unit__name", "submission__unit__code", "submission__reviewer__code", "total",
                "passed", "revoked_at", "marks", "data__sections")
        .order_by("submission__reviewer__code", "submission__unit__code")
    )
    distribution = [0] * len(_bins())
    item_max = dict(zip(cs.ids, cs.item_max_float, strict=True))
    lost_units: dict[str, int] = defaultdict(int)
    lost_points: dict[str, float] = defaultdict(float)
    offices = []
    city = _CountyAcc("")
    for r in results:
        sections = r["data__sections"] or []
        total = float(r["total"])
        distribution[_bin_of(total)] += 1
        hardware = sum(s["hardware"]["score"] for s in sections)
        software = sum(s["software"]["score"] for s in sections)
        hardware_max = sum(s["hardware"]["max"] for s in sections)
        software_max = sum(s["software"]["max"] for s in sections)
        for acc in (counties.get(r["submission__reviewer__code"]), city):
            if acc is None:
                continue
            acc.published += 1
            acc.passed += bool(r["passed"] and r["revoked_at"] is None)
            acc.total += total
            acc.hardware += hardware
            acc.hardware_max += hardware_max
            acc.software += software
            acc.software_max += software_max
        # Points lost on an item: its maximum less the mark it got; an approved no-duty claim is no loss.
        for item_id, mark in (r["marks"] or {}).get("items", {}).items():
            top = item_max.get(item_id)
            if top is None or isinstance(mark, dict):
                continue
            got = top if mark is True else 0.0 if mark is False else float(mark)
            if got < top:
                lost_units[item_id] += 1
                lost_points[item_id] += top - got
        offices.append({"name": r["submission__unit__name"], "code": r["submission__unit__code"],
                        "values": [s["score"] for s in sections]})

    if _covers_campaign(user, campaign):
        city_sections = [o["values"] for o in offices]
    else:
        city_sections = [
            [s["score"] for s in sections or []]
            for sections in Result.objects.filter(submission__campaign=campaign,
                                                  submission__status=Status.PUBLISHED)
            .values_list("data__sections", flat=True)
        ]
    section_count = len(cs.section_ids)
    city_average = [
        round(sum(values[k] for values in city_sections) / len(city_sections), 2) if city_sections else None
        for k in range(section_count)
    ]

    titles = {item_id: (cs.items[i].title or cs.items[i].text or "")[:30] for i, item_id in enumerate(cs.ids)}
    lost = sorted(lost_units, key=lambda i: (-lost_units[i], -lost_points[i], cs.index.get(i, 0)))[:TOP_LOST]
    return {
        "campaign": campaign.name,
        "published": len(results),
        "stages": stages,
        "progress": {
            "counties": [acc.name for acc in counties.values()],
            "series": [{"stage": s["id"], "label": s["label"], "data": [counts[code].get(s["id"], 0)
                                                                          for code in counties]} for s in stages],
        },
        "distribution": {"bins": _bins(), "counts": distribution},
        "radar": {
            "indicators": [{"name": section.title, "max": number(Decimal(str(section.points)))}
                           for section in cs.definition.sections],
            "city_average": city_average,
            "offices": offices,
        },
        "counties": [
            {"code": code, "name": acc.name, "offices": acc.offices, "published": acc.published,
             "passed": acc.passed, "average": round(acc.total / acc.published, 2) if acc.published else None,
             "pass_rate": _pct(acc.passed, acc.published), "hardware_pct": _pct(acc.hardware, acc.hardware_max),
             "software_pct": _pct(acc.software, acc.software_max)}
            for code, acc in counties.items()
        ],
        "lost_items": [{"id": i, "title": titles.get(i, ""), "units": lost_units[i],
                        "points": _plain(lost_points[i])} for i in lost],
        "categories": {"hardware_pct": _pct(city.hardware, city.hardware_max),
                       "software_pct": _pct(city.software, city.software_max)},
    }
