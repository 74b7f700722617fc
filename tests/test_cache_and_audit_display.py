"""Signed-in pages are not cached by the browser; the audit list shows values as JSON."""

import pytest

from jiceng.core.templatetags.audit_format import as_json


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored_in_the_browser_cache(users, client_for):
    response = client_for(users["city_admin"]).get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_audit_values_render_as_json_with_chinese_characters():
    assert as_json({"name": "海门所", "b": 1}) == '{\n "b": 1,\n "name": "海门所"\n}'
    assert as_json(None) == ""
    assert as_json({}) == ""


@pytest.mark.django_db
def test_audit_list_shows_before_and_after_as_json(users, client_for, region):
    from jiceng.org import services

    services.unit_update(actor=users["city_admin"], unit=region.office_a1, changes={"vehicles": 3}, reason="新车")
    html = client_for(users["audit_admin"]).get("/audit/?event_type=record.update").content.decode()
    assert "&quot;vehicles&quot;: 3" in html
    assert "新车" in html
