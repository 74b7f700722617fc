"""The enforcement pages: register a clue, open a case, draw up a document and take a step through the forms."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from jiceng.enforcement.models import Case, CaseState, Clue

from .builders import certify

pytestmark = pytest.mark.django_db


def test_register_a_clue_open_a_case_and_step_it_through_the_pages(client_for, region, officer, users):
    certify(officer, region.office_a1)
    c = client_for(officer)
    assert c.get(reverse("enforcement:clue_create")).status_code == 200
    response = c.post(reverse("enforcement:clue_create"), {
        "unit": region.office_a1.pk, "source": "patrol", "description": "甲村农田建房", "place": "甲村3组",
        "location": '{"type": "Point", "coordinates": [112.35, 28.55]}', "reporter_name": "张三丰"})
    clue = Clue.objects.get()
    assert response.status_code == 302 and clue.location["type"] == "Point"
    page = c.get(reverse("enforcement:clue_detail", args=[clue.pk])).content.decode()
    assert "张**" in page and "张三丰" not in page
    c.post(reverse("enforcement:case_open", args=[clue.pk]), {"title": "甲村违法建房", "party": "张三", "resource": "land"})
    case = Case.objects.get()
    c.post(reverse("enforcement:case_step", args=[case.pk]), {"step": "check", "version": case.version,
                                                               "check_findings": "占用耕地", "checked_on": "2026-09-29"})
    case.refresh_from_db()
    assert case.state == CaseState.CHECKED and case.checked_on == date(2026, 9, 29)
    # The stop order is refused until it is drawn up; the refusal is shown on the page.
    c.post(reverse("enforcement:case_step", args=[case.pk]), {"step": "stop_order", "version": case.version})
    page = c.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert Case.objects.get().state == CaseState.CHECKED and "draft-stop_order" in page
    c.post(reverse("enforcement:case_document", args=[case.pk]), {"kind": "stop_order"})
    case.refresh_from_db()
    c.post(reverse("enforcement:case_step", args=[case.pk]), {"step": "stop_order", "version": case.version})
    assert Case.objects.get().state == CaseState.STOP_ORDERED


def test_a_malformed_location_is_shown_on_the_form(client_for, region, officer):
    response = client_for(officer).post(reverse("enforcement:clue_create"), {
        "unit": region.office_a1.pk, "source": "patrol", "description": "x", "location": '{"type": "Point"'})
    assert response.status_code == 200 and not Clue.objects.exists()
    assert "GeoJSON" in response.content.decode()
