"""A petition of office CA1 (county A), for the permission matrices."""

from __future__ import annotations

from datetime import date


def petition_of(region, users=None):
    from jiceng.ledgers.models import Petition

    found = Petition.objects.filter(unit=region.office_a1, number="矩阵信访-1").first()
    return found or Petition.objects.create(
        unit=region.office_a1, number="矩阵信访-1", state="received", opened_on=date(2026, 12, 1), channel="visit",
        category="land", petitioner="矩阵信访人", subject="矩阵信访事项")
