"""Scheme items bound to indicators: validation, the suggested mark, frozen figures, the 数据不实 flag."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q

from jiceng.metrics import binding, compute
from jiceng.metrics.indicators import COUNT, PERCENT, Count, Indicator
from jiceng.metrics.models import FlagState, FrozenValue
from jiceng.rubrics.loader import parse_scheme
from ledger_app.models import Case

pytestmark = pytest.mark.django_db

SCHEME = """
id: bound-test
version: 1
title: 绑定测试
source: {{document: 测试}}
step: 0.5
total: 3
sections:
  - id: "3"
    title: 信访
    points: 3
    items:
      - id: "3.3.1"
        title: 信访办结率≥95%
        text: 信访办结率95%以上。
        points: 1.5
        category: software
        indicator: {indicator}
        rule: {{type: threshold, metric: 信访办结率, target: 0.95}}
      - id: "3.3.2"
        title: 办结率
        text: 按比例。
        points: 1.5
        category: software
        rule: {{type: manual}}
"""


def scheme(indicator: str):
    return parse_scheme(SCHEME.format(indicator=indicator))


@pytest.fixture
def petitions(isolated_indicators, region):
    """Office A1's petition ledger: 8 of 10 closed (80 %) in 2026; a count indicator beside it."""
    isolated_indicators.register(Indicator(
        id="test.petition_closure", app="ledger_app", name="信访办结率", unit=PERCENT, grain="month",
        model="ledger_app.Case", numerator=Count(filter=Q(state="closed")), denominator=Count(), factor=100))
    isolated_indicators.register(Indicator(
        id="test.petitions", app="ledger_app", name="信访件数", unit=COUNT, grain="month",
        model="ledger_app.Case", numerator=Count()))
    for index in range(10):
        Case.objects.create(unit=region.office_a1, subject=f"信访{index}", state="closed" if index < 8 else "open",
                            opened_on=date(2026, 4, 1 + index))
    compute.compute_all()
    return region


def _load(text):
    try:
        parse_scheme(text)
    except Exception as exc:  # noqa: BLE001 - the test shows what the loader says
        return exc
    return None


def test_the_loader_carries_the_binding_and_refuses_nothing_itself():
    assert binding.bound_items(scheme("anything.at_all")) == {"3.3.1": "anything.at_all"}


def test_a_binding_to_an_unknown_indicator_is_refused(petitions):
    with pytest.raises(ValidationError) as refused:
        binding.check(scheme("test.nothing"))
    assert refused.value.message_dict["scheme_id"] == [
        "第3.3.1项绑定的指标 test.nothing 不存在。"]


def test_a_binding_of_the_wrong_unit_is_refused(petitions):
    with pytest.raises(ValidationError) as refused:
        binding.check(scheme("test.petitions"))
    assert refused.value.message_dict["scheme_id"] == [
        "第3.3.1项是按百分比计分的 threshold 规则，但指标 test.petitions 的单位是 count，不是 %。"]
    binding.check(scheme("test.petition_closure"))  # the right one passes


def test_the_suggested_mark_is_the_engines_score_from_the_value(petitions):
    found = binding.suggestion(scheme("test.petition_closure"), "3.3.1", petitions.office_a1, "2026")
    assert (found.value.numerator, found.value.denominator, found.value.value) == (8, 10, 80.0)
    assert found.score == 0  # 80 % < 95 %: the threshold gives 0
    assert binding.suggestion(scheme("test.petition_closure"), "3.3.2", petitions.office_a1, "2026") is None


def test_a_claim_above_the_data_is_flagged_and_the_reviewer_confirms_it(petitions, users):
    cs = scheme("test.petition_closure")
    made = binding.flag(key="submission:1", cs=cs, unit=petitions.office_a1, period="2026",
                        marks={"3.3.1": 1.5, "3.3.2": 1.5}, actor=users["office_head"])
    assert [(f.item, f.claimed, f.supported, f.value, f.state) for f in made] == [
        ("3.3.1", Decimal("1.5"), Decimal("0"), 80.0, FlagState.OPEN)]
    assert binding.flag(key="submission:2", cs=cs, unit=petitions.office_a1, period="2026",
                        marks={"3.3.1": 0}) == []  # an honest claim is not flagged
    with pytest.raises(ValidationError):
        binding.decide(made[0], actor=users["county_reviewer"], confirmed=False, reason=" ")
    decided = binding.decide(made[0], actor=users["county_reviewer"], confirmed=True)
    assert decided.state == FlagState.CONFIRMED and decided.decided_by == users["county_reviewer"]
    with pytest.raises(ValidationError, match="该标记已处理"):
        binding.decide(decided, actor=users["county_reviewer"], confirmed=False, reason="x")


def test_a_campaign_keeps_the_figures_of_its_day(petitions):
    cs = scheme("test.petition_closure")
    binding.freeze("campaign:7", cs, petitions.office_a1, "2026")
    Case.objects.filter(state="open").update(state="closed")
    compute.compute_all()
    assert binding.suggestion(cs, "3.3.1", petitions.office_a1, "2026").value.value == 100.0
    kept = FrozenValue.objects.get(key="campaign:7")
    assert (kept.indicator, kept.numerator, kept.denominator, kept.value) == ("test.petition_closure", 8, 10, 80.0)


def test_the_built_in_schemes_bind_no_bad_indicator():
    from jiceng.metrics.binding import builtin_schemes_bind_known_indicators

    assert builtin_schemes_bind_known_indicators() == []


def test_an_open_flag_is_on_the_reviewers_to_do_list_only(petitions, users):
    from jiceng.metrics.inbox import items_for

    made = binding.flag(key="submission:5", cs=scheme("test.petition_closure"), unit=petitions.office_a1,
                        period="2026", marks={"3.3.1": 1.5})
    mine = items_for(users["county_reviewer"])
    assert [item.key for item in mine] == [f"metrics.flag:{made[0].pk}"]
    from django.urls import reverse

    assert "3.3.1" in mine[0].title and mine[0].url == reverse("assessments:submission_review", kwargs={"pk": 5})
    assert items_for(users["office_head"]) == []  # no review right
    binding.decide(made[0], actor=users["county_reviewer"], confirmed=True)
    assert items_for(users["county_reviewer"]) == []
