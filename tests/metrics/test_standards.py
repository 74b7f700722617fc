"""The standards-card indicators on a hand-counted region (tests/factories.region_tree plus staff and facilities)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from factories import make_staff
from jiceng.metrics import compute, values
from jiceng.metrics.indicators import all_indicators

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(region):
    """A1: 4 staff (the region's head + 3), 3 with 大专 or above, 48 m², 2 computers.
    A2: 1 staff (the head), 10 m², 1 computer. B1: 2 staff, 1 inactive leaver, no area given."""
    from jiceng.org.models import Staff, Unit

    Staff.objects.filter(unit__in=[region.office_a1, region.office_a2, region.office_b1]).update(education="bachelor")
    make_staff(region.office_a1, education="junior_college")
    make_staff(region.office_a1, education="postgraduate")
    make_staff(region.office_a1, education="secondary")
    make_staff(region.office_b1, education="basic")
    make_staff(region.office_b1, education="bachelor", active=False)
    Unit.objects.filter(pk=region.office_a1.pk).update(floor_area=Decimal("48.0"), computers=2)
    Unit.objects.filter(pk=region.office_a2.pk).update(floor_area=Decimal("10.0"), computers=1)
    compute.compute_all()
    return region


def figure(indicator, unit):
    got = values.value(indicator, unit, str(timezone.localdate().year))
    return got.numerator, got.denominator, got.value


def test_the_standards_indicators_are_registered():
    ids = {indicator.id for indicator in all_indicators()}
    assert {"org.staff_count", "org.educated_share", "org.area_per_person", "org.computers_per_person"} <= ids


def test_staff_count_counts_active_office_staff(offices):
    assert figure("org.staff_count", offices.office_a1)[2] == 4
    assert figure("org.staff_count", offices.office_b1)[2] == 2
    assert figure("org.staff_count", offices.county_a)[2] == 5  # the grid worker is not office staff
    assert figure("org.staff_count", offices.city)[2] == 7


def test_educated_share(offices):
    assert figure("org.educated_share", offices.office_a1) == (3, 4, 75.0)
    assert figure("org.educated_share", offices.office_b1) == (1, 2, 50.0)
    n, d, v = figure("org.educated_share", offices.city)
    assert (n, d) == (5, 7) and v == pytest.approx(71.4286, abs=1e-3)


def test_area_and_computers_per_person_are_ratios_of_sums(offices):
    assert figure("org.area_per_person", offices.office_a1) == (48, 4, 12.0)
    assert figure("org.area_per_person", offices.office_a2) == (10, 1, 10.0)
    # county A: 58 m² over 5 people = 11.6, not the mean of 12 and 10
    assert figure("org.area_per_person", offices.county_a) == (58, 5, 11.6)
    assert figure("org.computers_per_person", offices.county_a) == (3, 5, 0.6)
    assert figure("org.area_per_person", offices.office_b1) == (0, 2, 0.0)


def test_a_year_with_no_snapshot_has_no_value(offices):
    assert figure("org.staff_count", offices.office_a1) != (None, None, None)
    got = values.value("org.staff_count", offices.office_a1, "2019")
    assert (got.numerator, got.denominator, got.value) == (None, None, None)
