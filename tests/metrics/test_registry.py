"""The indicators registry on tests/ledger_app: declaration, validation, computation, roll-up, empty periods."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db.models import Q

from jiceng.metrics import compute, values
from jiceng.metrics.indicators import PERCENT, Count, Indicator, IndicatorError
from jiceng.metrics.models import IndicatorValue
from jiceng.metrics.periods import PeriodError
from ledger_app.models import Case

pytestmark = pytest.mark.django_db


def closed_share(**overrides):
    fields = dict(id="test.closed", app="ledger_app", name="Closed share", unit=PERCENT, grain="month",
                  model="ledger_app.Case", unit_field="unit", date_field="opened_on",
                  numerator=Count(filter=Q(state="closed")), denominator=Count(), factor=100)
    fields.update(overrides)
    return Indicator(**fields)


def case(unit, day, state="closed"):
    return Case.objects.create(unit=unit, subject="x", state=state, opened_on=day,
                               closed_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
                               if state == "closed" else None)


@pytest.fixture
def cases(region):
    """Hand-counted: office A1 closes 9 of 10 in March; office A2 1 of 2; office B1 nothing in March.

    A1 90 %, A2 50 %: the mean of the rates is 70 %, the ratio of sums for county A 10/12 = 83.33 %.
    """
    for index in range(10):
        case(region.office_a1, date(2026, 3, 1 + index), "closed" if index < 9 else "open")
    case(region.office_a2, date(2026, 3, 5), "closed")
    case(region.office_a2, date(2026, 3, 6), "open")
    case(region.office_b1, date(2026, 5, 6), "closed")
    return region


def test_register_computes_one_row_per_unit_and_month_and_rolls_up_by_sums(isolated_indicators, cases):
    indicator = isolated_indicators.register(closed_share())
    assert compute.compute(indicator) == 3
    stored = {(row.unit.code, row.period): (row.numerator, row.denominator) for row in IndicatorValue.objects.all()}
    assert stored == {("CA1", "2026-03"): (9, 10), ("CA2", "2026-03"): (1, 2), ("CB1", "2026-05"): (1, 1)}

    a1 = values.value(indicator, cases.office_a1, "2026-03")
    assert (a1.numerator, a1.denominator, a1.value) == (9, 10, 90.0)
    county = values.value(indicator, cases.county_a, "2026-03")
    assert (county.numerator, county.denominator) == (10, 12)
    assert county.value == pytest.approx(83.3333, abs=1e-3)  # not (90 + 50) / 2 = 70
    city_year = values.value(indicator, cases.city, "2026")
    assert (city_year.numerator, city_year.denominator) == (11, 13)
    assert values.value(indicator, cases.city, "2026-H1").denominator == 13
    assert values.value(indicator, cases.city, "2026-Q2").denominator == 1


def test_an_empty_period_has_no_value(isolated_indicators, cases):
    indicator = isolated_indicators.register(closed_share())
    compute.compute(indicator)
    empty = values.value(indicator, cases.office_b1, "2026-03")
    assert (empty.numerator, empty.denominator, empty.value) == (None, None, None)
    assert empty.as_json() == {"indicator": "test.closed", "unit": "CB1", "period": "2026-03",
                               "numerator": None, "denominator": None, "value": None}


def test_a_zero_denominator_is_no_value_not_a_division_error(isolated_indicators, cases):
    indicator = isolated_indicators.register(closed_share(id="test.closed_of_closed",
                                                          denominator=Count(filter=Q(state="paused"))))
    compute.compute(indicator)
    got = values.value(indicator, cases.office_a1, "2026-03")
    assert (got.numerator, got.denominator, got.value) == (9, 0, None)


def test_a_plain_count_and_a_datetime_date_field(isolated_indicators, cases):
    indicator = isolated_indicators.register(closed_share(id="test.closed_count", unit="count", factor=1,
                                                          date_field="closed_at", denominator=None,
                                                          numerator=Count(filter=Q(state="closed"))))
    compute.compute(indicator)
    assert values.value(indicator, cases.county_a, "2026-03").value == 10
    assert values.value(indicator, cases.county_b, "2026-03").value is None


def test_a_period_finer_than_the_grain_is_refused(isolated_indicators, cases):
    indicator = isolated_indicators.register(closed_share(id="test.quarterly", grain="quarter"))
    compute.compute(indicator)
    assert values.value(indicator, cases.county_a, "2026-Q1").denominator == 12
    with pytest.raises(PeriodError, match="test.quarterly is kept by quarter: 2026-03 is finer"):
        values.value(indicator, cases.county_a, "2026-03")


@pytest.mark.parametrize(("overrides", "message"), [
    ({"model": "ledger_app.Nothing"}, "indicator test.closed: no ledger model 'ledger_app.Nothing'"),
    ({"date_field": "opened"}, "indicator test.closed: date field 'opened': ledger_app.Case has no field 'opened'"),
    ({"date_field": "subject"}, "date field 'subject' of ledger_app.Case is not a date"),
    ({"unit_field": "created_by"}, "unit field 'created_by' of ledger_app.Case is not a foreign key to org.Unit"),
    ({"numerator": Count(filter=Q(status="closed"))},
     "indicator test.closed: numerator filter 'status': ledger_app.Case has no field 'status'"),
    ({"unit": "percent"}, "unit 'percent' is not one of"),
    ({"grain": "week"}, "grain 'week' is not one of"),
])
def test_a_declaration_naming_a_missing_model_or_field_is_refused(isolated_indicators, overrides, message):
    with pytest.raises(IndicatorError, match=message.replace("(", r"\(").replace(".", r"\.")):
        isolated_indicators.register(closed_share(**overrides))
    with pytest.raises(IndicatorError, match="no indicator 'test.closed'"):
        isolated_indicators.get("test.closed")
