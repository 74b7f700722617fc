"""The published list: the public page (no log-in) and the notice (通报) as .docx."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from jiceng.assessments import services
from jiceng.assessments.outputs import notice
from jiceng.assessments.outputs.published import published_list

from .conftest import fresh


@pytest.fixture
def revoked(county_a_published, people):
    """CA2's award taken back by a veto registered after publication (摘牌)."""
    services.veto_register(actor=people["city_admin"], submission=county_a_published["a2"],
                           veto_id="dereliction-petition", occurred_on=date(2021, 12, 3),
                           description="所长张三因处置不力引发群体性上访。")
    return fresh(county_a_published["a2"])


def test_anyone_sees_the_published_list_without_logging_in(county_a_published, campaign, client, region):
    index = client.get(reverse("portal:index"))
    assert index.status_code == 200 and campaign.name in index.content.decode()
    page = client.get(reverse("portal:campaign", args=[campaign.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert region.office_a1.name in html and region.office_a2.name in html and "99.5" in html
    # County B's office is submitted but not published: it is not on the public page.
    assert region.office_b1.name not in html


def test_the_public_page_shows_no_personal_data_and_no_reasons(revoked, county_a_published, campaign, client):
    html = client.get(reverse("portal:campaign", args=[campaign.pk])).content.decode()
    a1 = county_a_published["a1"]
    for private in (a1.decl_head, a1.decl_phone, a1.decl_address, "张三", "上访"):
        assert private not in html, private


def test_a_revoked_award_leaves_the_list_and_is_shown_as_taken_back(revoked, campaign, client, region):
    listing = published_list(campaign)
    assert [e.office for e in listing.awarded] == [region.office_a1.name]
    assert [e.office for e in listing.revoked] == [region.office_a2.name]
    html = client.get(reverse("portal:campaign", args=[campaign.pk])).content.decode()
    assert 'data-testid="revoked-list"' in html


def test_a_campaign_with_nothing_published_is_not_public(campaign, client):
    assert client.get(reverse("portal:campaign", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("portal:campaign_notice", args=[campaign.pk])).status_code == 404
    assert campaign.name not in client.get(reverse("portal:index")).content.decode()


def _tables(content: bytes):
    doc = Document(io.BytesIO(content))
    return doc, [[[c.text for c in row.cells] for row in table.rows] for table in doc.tables]


def test_the_notice_lists_the_awarded_offices_and_the_revoked_ones(revoked, campaign, region):
    doc, tables = _tables(notice.notice_docx(published_list(campaign), issued_on=date(2022, 1, 5)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == f"关于公布{campaign.name}结果的通报"
    assert texts[1] == "各县（市、区）自然资源和规划局（分局）："
    assert "1个基层所达到规范化建设标准" in texts[2] and "台州市自然资源和规划系统规范化基层所" in texts[2]
    assert tables[0] == [["序号", "县（市、区）", "基层所", "总分", "等级"], ["1", "甲县局", region.office_a1.name, "99.5", "达标"]]
    assert tables[1][1][2] == region.office_a2.name and tables[1][1][3].startswith("20")
    assert texts[-2:] == [region.city.name, "2022年1月5日"]


def test_only_the_city_downloads_its_notice_and_the_public_gets_it_too(county_a_published, campaign, people,
                                                                        client_for, client):
    url = reverse("assessment_outputs:notice", args=[campaign.pk])
    assert client_for(people["county_reviewer"]).get(url).status_code == 403
    response = client_for(people["city_admin"]).get(url)
    assert response.status_code == 200
    assert _tables(response.content)[1][0][1][2] == "甲一中心所"
    client.logout()
    public = client.get(reverse("portal:campaign_notice", args=[campaign.pk]))
    assert public.status_code == 200 and len(_tables(public.content)[1][0]) == 3
