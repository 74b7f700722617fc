"""The public disclosure of penalty decisions: no log-in, personal data removed, publication date shown."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from .builders import published_case

pytestmark = pytest.mark.django_db


def test_the_public_page_lists_published_decisions_without_the_partys_name(client, region):
    shown = published_case(region.office_a1, party="张三丰")
    published_case(region.office_a1, party="李四", title="未公开的案件", published_on=None)
    response = client.get(reverse("enforcement_public:disclosure_list"))
    body = response.content.decode()
    assert response.status_code == 200 and "甲村农田违法建房" in body and "张某" in body
    assert "张三丰" not in body and "未公开的案件" not in body and "2026-11-02" in body
    detail = client.get(reverse("enforcement_public:disclosure_detail", args=[shown.pk])).content.decode()
    assert "张某" in detail and "张三丰" not in detail and "10000" in detail


def test_an_unpublished_or_future_publication_is_not_found(client, region):
    hidden = published_case(region.office_a1, published_on=None)
    future = published_case(region.office_a1, published_on=date(2099, 1, 1))
    for case in (hidden, future):
        assert client.get(reverse("enforcement_public:disclosure_detail", args=[case.pk])).status_code == 404


def test_an_organisation_keeps_its_name(region, client):
    published_case(region.office_a1, party="某某建材有限公司", party_is_person=False)
    assert "某某建材有限公司" in client.get(reverse("enforcement_public:disclosure_list")).content.decode()
