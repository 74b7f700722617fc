"""The published list of standardized offices (规范化基层所) of a campaign: what the public may see.

Only published results, and of them only what the notice prints: county,
office, total, grade, the publication date, and for an award taken back its
revocation date. No person's name, phone or address, no reasons (a veto's
description can name people), no unpublished figure.

Public by nature, so not scoped to a user: the portal serves it without a log-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q
from django.utils import timezone

from ..models import Campaign, Result, Status
from .common import number


@dataclass(frozen=True)
class Entry:
    county: str
    county_code: str
    office: str
    office_code: str
    total: int | float
    grade: str
    published_on: date
    revoked_on: date | None


@dataclass
class PublishedList:
    campaign: Campaign
    awarded: list[Entry]
    revoked: list[Entry]
    published_count: int

    @property
    def by_county(self) -> list[tuple[str, list[Entry]]]:
        groups: dict[str, tuple[str, list[Entry]]] = {}
        for entry in self.awarded:
            groups.setdefault(entry.county_code, (entry.county, []))[1].append(entry)
        return list(groups.values())

    @property
    def last_published(self) -> date | None:
        dates = [e.published_on for e in self.awarded + self.revoked]
        return max(dates) if dates else None


def public_campaigns():
    """Campaigns with at least one published result, newest first, with their counts."""
    awarded = Q(submissions__result__passed=True, submissions__result__revoked_at__isnull=True)
    return (
        Campaign.objects.filter(submissions__status=Status.PUBLISHED)
        .annotate(
            published=Count("submissions", filter=Q(submissions__status=Status.PUBLISHED), distinct=True),
            awarded=Count("submissions", filter=awarded, distinct=True),
            last_published=Max("submissions__published_at"),
        )
        .order_by("-period_start", "-pk")
        .distinct()
    )


def published_list(campaign: Campaign) -> PublishedList:
    """One query: the campaign's published results with their office and county."""
    results = (
        Result.objects.filter(submission__campaign=campaign, submission__status=Status.PUBLISHED)
        .select_related("submission__unit", "submission__reviewer")
        # The frozen engine output and marks are large and not shown here.
        .defer("data", "marks", "revoke_reason")
        .order_by("submission__reviewer__code", "-total", "submission__unit__code")
    )
    awarded, revoked, count = [], [], 0
    for result in results:
        count += 1
        if not result.passed:
            continue
        sub = result.submission
        entry = Entry(
            county=sub.reviewer.name, county_code=sub.reviewer.code, office=sub.unit.name, office_code=sub.unit.code,
            total=number(result.total), grade=result.grade, published_on=timezone.localdate(result.published_at),
            revoked_on=timezone.localdate(result.revoked_at) if result.revoked_at else None,
        )
        (revoked if entry.revoked_on else awarded).append(entry)
    return PublishedList(campaign, awarded, revoked, count)
