"""The API, the CLI, the dashboard and the records list (with its xlsx export read back)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from jiceng.metrics import compute
from jiceng.metrics.indicators import PERCENT, Count, Indicator
from ledger_app.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(isolated_indicators, region):
    indicator = isolated_indicators.register(Indicator(
        id="test.closed", app="ledger_app", name="Closed share", unit=PERCENT, grain="month",
        model="ledger_app.Case", numerator=Count(filter=Q(state="closed")), denominator=Count(), factor=100,
        target=90))
    for unit, states in ((region.office_a1, ["closed"] * 9 + ["open"]), (region.office_a2, ["closed", "open"]),
                         (region.office_b1, ["closed"])):
        for index, state in enumerate(states):
            Case.objects.create(unit=unit, subject=f"{unit.code}-{index}", state=state, opened_on=date(2026, 3, 2))
    compute.compute(indicator)
    return indicator


def run(*args) -> str:
    out = io.StringIO()
    call_command("metrics", *args, stdout=out)
    return out.getvalue()


def test_cli_list_and_show_with_children(closed, region):
    lines = run("list").splitlines()
    assert "test.closed\tClosed share" in lines
    assert any(line.startswith("org.staff_count\t") for line in lines)
    shown = [json.loads(line) for line in run("show", "test.closed", "--unit", "CA", "--period", "2026-03",
                                              "--children").splitlines()]
    assert shown[0] == {"indicator": "test.closed", "unit": "CA", "period": "2026-03", "numerator": 10,
                        "denominator": 12, "value": pytest.approx(83.3333, abs=1e-3)}
    by_code = {row["unit"]: row for row in shown[1:]}
    assert by_code["CA1"]["value"] == 90 and by_code["CA2"]["value"] == 50
    assert by_code["CAT"] == {"indicator": "test.closed", "unit": "CAT", "period": "2026-03", "numerator": None,
                              "denominator": None, "value": None}


def test_cli_refuses_a_bad_period_an_unknown_indicator_and_unit(closed):
    with pytest.raises(CommandError, match="'2026-13' is not a period: month 13"):
        run("show", "test.closed", "--unit", "CA", "--period", "2026-13")
    with pytest.raises(CommandError, match="'2026-Q5' is not a period"):
        run("show", "test.closed", "--unit", "CA", "--period", "2026-Q5")
    with pytest.raises(CommandError, match="no indicator 'test.nothing'"):
        run("show", "test.nothing", "--unit", "CA", "--period", "2026")
    with pytest.raises(CommandError, match="no unit with code 'ZZ'"):
        run("show", "test.closed", "--unit", "ZZ", "--period", "2026")


def _api(client, user, path):
    from jiceng.api import services

    secret = services.token_create(actor=user, name="t")[1]
    return client.get(path, headers={"Authorization": f"Bearer {secret}"})


def test_api_values_are_scoped(closed, users, client):
    answer = _api(client, users["county_reviewer"], "/api/v1/indicators/test.closed/values/CA?period=2026-03&children=true")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body[0]["numerator"] == 10 and body[0]["denominator"] == 12
    assert {row["unit"] for row in body[1:]} == {"CA1", "CA2", "CAT"}
    outside = _api(client, users["county_reviewer"], "/api/v1/indicators/test.closed/values/CB?period=2026-03")
    assert outside.status_code == 404
    bad = _api(client, users["county_reviewer"], "/api/v1/indicators/test.closed/values/CA?period=2026-X")
    assert bad.status_code == 422 and bad.json()["field"] == "period"
    listed = _api(client, users["county_reviewer"], "/api/v1/indicators/")
    assert "test.closed" in {row["id"] for row in listed.json()["items"]}


def test_dashboard_ranks_over_every_child_but_lists_only_those_in_scope(closed, users, client, region):
    client.force_login(users["office_head"])  # head of CA1, who cannot see CA2
    page = client.get(reverse("metrics:unit_dashboard", kwargs={"code": "CA1"}),
                      {"indicator": "test.closed", "period": "2026-03"})
    assert page.status_code == 200
    data = page.context["data"]
    # Ranked among every child of county A with a value (CA1 90 %, CA2 50 %), though CA2 is out of scope.
    assert data["among_siblings"] == {"rank": 1, "of": 2}
    assert data["figure"]["value"] == 90
    assert "甲二所" not in page.content.decode()
    client.force_login(users["city_admin"])
    page = client.get(reverse("metrics:unit_dashboard", kwargs={"code": "C"}),
                      {"indicator": "test.closed", "period": "2026-03"})
    ranks = {row["code"]: (row["rank"], row["of"]) for row in page.context["data"]["children"]}
    assert ranks == {"CB": (1, 2), "CA": (2, 2)}  # 100 % beats 83.3 %
    assert b'id="metrics-data"' in page.content and b"echarts.min.js" in page.content
    assert client.get(reverse("metrics:unit_dashboard", kwargs={"code": "CB"})).status_code == 200
    client.force_login(users["county_reviewer"])
    assert client.get(reverse("metrics:unit_dashboard", kwargs={"code": "CB"})).status_code == 404


def test_records_list_and_its_export_hold_exactly_the_numerators_rows(closed, users, client):
    client.force_login(users["county_reviewer"])
    query = {"indicator": "test.closed", "unit": "CA", "period": "2026-03", "part": "numerator"}
    page = client.get(reverse("metrics:records"), query)
    assert page.status_code == 200
    assert page.context["list"].page.paginator.count == 10
    export = client.get(reverse("metrics:records"), {**query, "format": "xlsx"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)).active
    records = [row for row in sheet.iter_rows(values_only=True) if row and row[0] in ("CA1", "CA2")]
    assert len(records) == 10
    denominator = client.get(reverse("metrics:records"), {**query, "part": "denominator"})
    assert denominator.context["list"].page.paginator.count == 12
    outside = client.get(reverse("metrics:records"), {**query, "unit": "CB"})
    assert outside.context["list"].page.paginator.count == 0


def test_the_dashboard_does_not_grow_with_the_children(closed, users, client_for, region):
    from querycount import assert_flat, grow_offices

    client = client_for(users["county_reviewer"])
    url = reverse("metrics:unit_dashboard", kwargs={"code": "CA"})

    def grow(k):
        grow_offices(region.county_a, k)
        compute.compute_all()

    assert_flat(lambda: client.get(url, {"indicator": "org.staff_count"}), grow, label="metrics dashboard")
