"""A patrol of office CA1 (county A) with an area, a finding and a track, for the permission matrices."""

from __future__ import annotations

from datetime import date


def patrol_of(region, users=None):
    from jiceng.patrols.models import Patrol, PatrolArea

    found = Patrol.objects.filter(unit=region.office_a1, inspectors="矩阵巡查员").first()
    if found is not None:
        return found
    area = PatrolArea.objects.create(unit=region.office_a1, name="矩阵片区", responsible="矩阵责任人")
    return Patrol.objects.create(unit=region.office_a1, area=area, patrol_date=date(2026, 12, 3), inspectors="矩阵巡查员")


def finding_of(region, users=None):
    from jiceng.patrols.models import Finding

    patrol = patrol_of(region)
    found = patrol.findings.first()
    return found or Finding.objects.create(unit=patrol.unit, patrol=patrol, description="矩阵发现的问题")
