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
    assert "&quot;vehicles&quot;: 3" in html  # the raw record, in its details panel
    assert "新车" in html


@pytest.mark.django_db
def test_audit_list_shows_readable_changes(users, client_for, region):
    import re

    from jiceng.org import services

    before = region.office_a1.vehicles
    services.unit_update(actor=users["city_admin"], unit=region.office_a1, changes={"vehicles": 3}, reason="新车")
    html = client_for(users["audit_admin"]).get("/audit/?event_type=record.update").content.decode()
    cell = re.search(r'data-testid="audit-changes">(.*?)</td>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", cell.split("<details")[0])
    assert re.sub(r"\s+", " ", text).strip() == f"vehicles: {before if before is not None else '—'} → 3"


def test_changes_lists_field_before_and_after():
    from types import SimpleNamespace

    from jiceng.core.templatetags.audit_format import changes

    event = SimpleNamespace(before={"status": "submitted", "marks": {"1.1": {"score": "2"}}, "same": 1},
                            after={"status": "reviewed", "marks": {"1.1": {"score": "3"}}, "same": 1, "new": ["a", "b"]})
    assert changes(event) == [
        {"field": "marks.1.1.score", "before": "2", "after": "3"},
        {"field": "new", "before": "", "after": "a、b"},
        {"field": "status", "before": "submitted", "after": "reviewed"},
    ]
    assert changes(SimpleNamespace(before=None, after=None)) == []
