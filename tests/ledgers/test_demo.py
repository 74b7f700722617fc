"""`jiceng demo` loads a year of patrols (with tracks and clues) and ledgers for 海门中心所."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_shows_real_looking_work():
    from jiceng.core import demo
    from jiceng.enforcement.models import Clue
    from jiceng.ledgers.models import DutyRoster, Filing, HazardPoint, HousingApproval, Petition
    from jiceng.patrols.models import Finding, Patrol, PatrolPlan, TrackSegment

    demo.build(["patrols", "ledgers"])
    assert Patrol.objects.count() >= 40 and PatrolPlan.objects.count() >= 30
    assert TrackSegment.objects.count() > Patrol.objects.count()  # some tracks have gaps
    assert Finding.objects.count() >= 20 and Clue.objects.filter(source="patrol").exists()
    assert Petition.objects.filter(state="closed").count() >= 30 and Petition.objects.exclude(state="closed").exists()
    assert set(HousingApproval.objects.values_list("state", flat=True)) >= {"applied", "approved", "completed"}
    assert DutyRoster.objects.filter(kind="flood").count() > 20 and HazardPoint.objects.count() == 3
    assert Filing.objects.filter(state="filed").exists()
