"""Dashboard data: what the charts draw, scoped to the reader, in a fixed number of queries."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiceng.assessments.dashboards import dashboard_data

from .conftest import audit, forward, new_campaign, publish_county, submit


def test_progress_counts_every_stage_per_county(county_a_published, campaign, people):
    data = dashboard_data(people["city_admin"], campaign)
    assert data["progress"]["counties"] == ["甲县局", "乙县局"]
    series = {s["stage"]: s["data"] for s in data["progress"]["series"]}
    assert series["published"] == [2, 0] and series["submitted"] == [0, 1] and series["draft"] == [0, 0]


def test_scores_come_from_the_published_results(county_a_published, campaign, people):
    data = dashboard_data(people["city_admin"], campaign)
    assert data["published"] == 2
    bins = dict(zip(data["distribution"]["bins"], data["distribution"]["counts"], strict=True))
    assert bins["95–100"] == 2 and sum(bins.values()) == 2
    county_a = data["counties"][0]
    assert county_a | {"average": None} == {"code": "CA", "name": "甲县局", "offices": 2, "published": 2, "passed": 2,
                                           "average": None, "pass_rate": 100.0, "hardware_pct": 99.0,
                                           "software_pct": 98.7}
    assert county_a["average"] == 98.75
    assert data["counties"][1]["published"] == 0 and data["counties"][1]["average"] is None
    # CA1 lost 0.5 on 2.2 and CA2 lost 1 on 1.4; the approved no-duty claim on 4.3.4 is not a loss.
    assert data["lost_items"] == [{"id": "1.4", "title": "健全社会监督体系。公开基层所监督电话，设立意见箱、意见簿。", "units": 1,
                                   "points": 1},
                                  {"id": "2.2", "title": "视觉形象识别", "units": 1, "points": 0.5}]
    # Hardware: (24.5 + 25) / 50; software: (75 + 73) / 150, the claim counting half of its 2 points.
    assert data["categories"] == {"hardware_pct": 99.0, "software_pct": 98.7}


def test_the_radar_compares_each_office_with_the_city_average(county_a_published, campaign, people):
    radar = dashboard_data(people["city_admin"], campaign)["radar"]
    assert [i["name"] for i in radar["indicators"]][:2] == ["机构设置与队伍建设", "硬件设施建设"]
    assert [i["max"] for i in radar["indicators"]] == [13, 25, 16, 34, 12]
    offices = {o["code"]: o["values"] for o in radar["offices"]}
    assert offices["CA1"] == [13, 24.5, 16, 34, 12]
    assert offices["CA2"] == [12, 25, 16, 33, 12]
    assert radar["city_average"] == [12.5, 24.75, 16, 33.5, 12]


def test_a_county_sees_its_own_offices_only(county_a_published, campaign, people, region):
    county_b = dashboard_data(people["county_b_reviewer"], campaign)
    assert county_b["progress"]["counties"] == ["乙县局"]
    assert county_b["published"] == 0 and county_b["radar"]["offices"] == []
    # The city average is an aggregate of the published (public) results, shown to every reader.
    assert county_b["radar"]["city_average"] == [12.5, 24.75, 16, 33.5, 12]
    office = dashboard_data(people["office_head"], campaign)
    assert [o["code"] for o in office["radar"]["offices"]] == ["CA1"]
    assert [c["name"] for c in office["counties"]] == ["甲县局"] and office["counties"][0]["offices"] == 1


def _published_campaign(region, people, offices, name):
    city, county_a = people["city_admin"], people["county_reviewer"]
    campaign = new_campaign(region.city, city, name=name, units=offices)
    heads = {region.office_a1.pk: people["office_head"], region.office_a2.pk: people["office_a2_head"]}
    for office in offices:
        if office.pk in heads:
            sub = submit(campaign, office, heads[office.pk], lose={"2.2": Decimal("0.5")})
            audit(forward(campaign, sub, county_a, lose={"2.2": Decimal(1)}), city)
    publish_county(campaign, region.county_a, city)
    return campaign


def test_the_number_of_queries_is_the_same_for_3_and_12_offices(region, people, django_assert_num_queries):
    from jiceng.org import services as org

    extra = [org.unit_create(actor=None, parent=region.county_b, kind="office", name=f"乙{n}所", code=f"CBX{n}")
             for n in range(9)]
    three = [region.office_a1, region.office_a2, region.office_b1]
    small = _published_campaign(region, people, three, "三个所")
    large = _published_campaign(region, people, three + extra, "十二个所")
    assert large.submissions.count() == 12
    for reader in ("city_admin", "county_b_reviewer"):
        user = people[reader]
        user.scope_paths("view")  # the memberships are read once per request, before any page
        with CaptureQueriesContext(connection) as counted:
            dashboard_data(user, small)
        with django_assert_num_queries(len(counted)):
            data = dashboard_data(user, large)
        assert sum(c["offices"] for c in data["counties"]) == (12 if reader == "city_admin" else 10)
    assert len(counted) <= 4


def test_the_page_passes_its_data_as_json_and_runs_no_inline_script(county_a_published, campaign, people,
                                                                      client_for):
    response = client_for(people["county_reviewer"]).get(reverse("assessment_outputs:dashboard",
                                                                   args=[campaign.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    executable = [attrs for attrs, body in scripts if 'type="application/json"' not in attrs]
    assert all("src=" in attrs for attrs in executable) and all(not body.strip() for attrs, body in scripts
                                                                 if "src=" in attrs)
    assert '/static/vendor/echarts/echarts.min.js' in html and '/static/jiceng/charts.js' in html
    data = json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html,
                                flags=re.S).group(1))
    assert data["progress"]["counties"] == ["甲县局"]
    for chart in ("progress", "distribution", "radar", "counties", "lost", "categories"):
        assert f'data-chart="{chart}"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_campaign_the_user_has_no_part_in_is_404(campaign, region, people, client_for):
    from jiceng.core.models import AuditEvent, EventType

    other = new_campaign(region.city, people["city_admin"], name="只有甲县", units=[region.office_a1])
    client = client_for(people["other_county_head"])
    assert client.get(reverse("assessment_outputs:dashboard", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessment_outputs:scoresheet", args=[other.pk])).status_code == 404
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor_name="other_county_head").count() == 2


def test_the_campaign_page_links_to_the_dashboard_and_the_score_sheet(campaign, people, client_for):
    html = client_for(people["county_reviewer"]).get(reverse("assessments:campaign_detail", args=[campaign.pk]))
    for name in ("dashboard", "scoresheet"):
        assert reverse(f"assessment_outputs:{name}", args=[campaign.pk]).encode() in html.content, name


def test_a_county_reader_sees_the_city_figure_labelled_as_the_published_one(county_a_published, campaign, people,
                                                                           client_for):
    # The one figure from beyond a county's scope is named for what it is (issue 11, item 2).
    html = client_for(people["county_reviewer"]).get(reverse("assessment_outputs:dashboard",
                                                              args=[campaign.pk])).content.decode()
    assert "本所与全市已公布结果平均对比" in html
    labels = json.loads(re.search(r'<script id="dashboard-labels" type="application/json">(.*?)</script>', html,
                                  flags=re.S).group(1))
    assert labels["city_average"] == "全市平均（已公布结果）"
