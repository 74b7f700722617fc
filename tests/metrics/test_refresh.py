"""The incremental refresh: a save or delete marks its (unit, month); the task recomputes only those."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Q

from jiceng.metrics import compute, values
from jiceng.metrics.indicators import PERCENT, Count, Indicator
from jiceng.metrics.models import DirtyMonth, IndicatorValue
from jiceng.metrics.tasks import refresh_run
from ledger_app.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(isolated_indicators):
    return isolated_indicators.register(Indicator(
        id="test.closed", app="ledger_app", name="Closed share", unit=PERCENT, grain="month",
        model="ledger_app.Case", numerator=Count(filter=Q(state="closed")), denominator=Count(), factor=100))


def test_an_edit_in_an_old_period_recomputes_that_period_only(closed, region):
    old = Case.objects.create(unit=region.office_a1, subject="旧", state="open", opened_on=date(2025, 2, 3))
    Case.objects.create(unit=region.office_a2, subject="新", state="open", opened_on=date(2026, 11, 3))
    compute.compute(closed)
    assert values.value(closed, region.office_a1, "2025-02").value == 0
    DirtyMonth.objects.all().delete()
    untouched = IndicatorValue.objects.get(unit=region.office_a2, period="2026-11")

    edited = Case.objects.get(pk=old.pk)
    edited.state = "closed"
    edited.save()
    assert list(DirtyMonth.objects.values_list("model", "unit_id", "month")) == [
        ("ledger_app.Case", region.office_a1.pk, "2025-02")]
    assert values.value(closed, region.office_a1, "2025-02").value == 0  # not yet refreshed

    result = refresh_run(latest=False)
    assert result["pairs"] == 1 and result["marks"] == 1
    assert values.value(closed, region.office_a1, "2025-02").value == 100
    assert not DirtyMonth.objects.exists()
    again = IndicatorValue.objects.get(unit=region.office_a2, period="2026-11")
    assert (again.pk, again.computed_at) == (untouched.pk, untouched.computed_at)  # other pairs left alone


def test_moving_a_record_marks_both_months_and_a_delete_leaves_no_value(closed, region):
    row = Case.objects.create(unit=region.office_a1, subject="移", state="closed", opened_on=date(2026, 1, 9))
    compute.compute(closed)
    DirtyMonth.objects.all().delete()
    row = Case.objects.get(pk=row.pk)
    row.opened_on = date(2026, 4, 1)
    row.unit = region.office_a2
    row.save()
    assert set(DirtyMonth.objects.values_list("unit_id", "month")) == {
        (region.office_a1.pk, "2026-01"), (region.office_a2.pk, "2026-04")}
    refresh_run(latest=False)
    assert values.value(closed, region.county_a, "2026-01").value is None
    assert values.value(closed, region.office_a2, "2026-04").value == 100

    Case.objects.get(pk=row.pk).delete()
    refresh_run(latest=False)
    assert values.value(closed, region.county_a, "2026").value is None
    assert not IndicatorValue.objects.filter(indicator="test.closed").exists()
