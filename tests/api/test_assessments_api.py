"""The assessment workflow over /api/v1/assessments: scopes, the whole cycle, locking and refusals."""

from __future__ import annotations

import pytest

from .assessment_states import DECLARATION, at_stage, campaign, full_items, submission

pytestmark = pytest.mark.django_db

BASE = "/api/v1/assessments"


def _units(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["unit_id"] for item in response.json()["items"]}


def test_an_office_sees_and_writes_only_its_own_submission(api_as, users, region):
    campaign(region)
    office = api_as(users["office_head"])
    assert _units(office.get(f"{BASE}/submissions/")) == {region.office_a1.pk}

    neighbour = submission(region, region.office_a2)
    assert office.get(f"{BASE}/submissions/{neighbour.pk}").status_code == 404
    response = office.post(f"{BASE}/submissions/{neighbour.pk}/draft",
                           {"expected_version": neighbour.version, "items": {"1.1": {"score": 3}}})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    neighbour.refresh_from_db()
    assert neighbour.marks.count() == 0

    own = submission(region)
    response = office.get(f"{BASE}/submissions/{own.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["unit_id"], body["status"], body["can_edit"], body["can_review"]) == (
        region.office_a1.pk, "draft", True, False)
    assert body["result"] is None


def test_a_county_sees_its_offices_and_gets_404_for_another_county(api_as, users, region):
    from jiceng.accounts import services as accounts

    campaign(region)
    county_a = api_as(users["county_reviewer"])
    assert _units(county_a.get(f"{BASE}/submissions/")) == {region.office_a1.pk, region.office_a2.pk}
    other = submission(region, region.office_b1)
    assert county_a.get(f"{BASE}/submissions/{other.pk}").status_code == 404
    response = county_a.post(f"{BASE}/submissions/{other.pk}/return",
                             {"expected_version": other.version, "reason": "越权"})
    assert response.status_code == 404

    reviewer_b = accounts.user_create(actor=None, username="reviewer_b", full_name="县B审核", password="Test#pass2026",
                                      must_change_password=False)
    accounts.membership_grant(actor=None, user=reviewer_b, unit=region.county_b, role="county_reviewer")
    county_b = api_as(reviewer_b)
    assert _units(county_b.get(f"{BASE}/submissions/")) == {region.office_b1.pk}
    assert county_b.get(f"{BASE}/submissions/{submission(region).pk}").status_code == 404


def test_the_city_sees_every_submission_and_the_filters_narrow_them(api_as, users, region):
    at_stage(region, "submitted")
    city = api_as(users["city_admin"])
    everything = {region.office_a1.pk, region.office_a2.pk, region.office_b1.pk}
    assert _units(city.get(f"{BASE}/submissions/", {"campaign": campaign(region).pk})) == everything
    assert _units(city.get(f"{BASE}/submissions/", {"status": "submitted"})) == {region.office_a1.pk}
    response = city.get(f"{BASE}/campaigns/")
    assert [c["id"] for c in response.json()["items"]] == [campaign(region).pk]
    assert response.json()["items"][0]["participants"] == 3
    detail = city.get(f"{BASE}/campaigns/{campaign(region).pk}").json()
    assert detail["items"][0] == {"id": "1.1", "title": detail["items"][0]["title"], "points": 3.0, "check": False}
    assert [t["share"] for t in detail["targets"]] == [0.5]


def test_the_whole_cycle_through_the_api_ends_in_a_published_result(api_as, users, region):
    from jiceng.assessments import services
    from jiceng.core.models import AuditEvent, EventType

    sub = submission(region)
    office, county, city = api_as(users["office_head"]), api_as(users["county_reviewer"]), api_as(users["city_admin"])
    path = f"{BASE}/submissions/{sub.pk}"

    items = full_items(region)
    items["1.1"] = {"claim": "本所无此职责"}
    response = office.post(f"{path}/draft", {"expected_version": 1, "items": items, "declaration": DECLARATION})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["marks"]["self"]["1.2"]["score"] == 3.0
    assert body["marks"]["self"]["1.2"]["by"] == "office_head"
    assert [c["item_id"] for c in body["claims"]] == ["1.1"]
    assert body["declaration"]["decl_phone"] == DECLARATION["decl_phone"]
    assert AuditEvent.objects.filter(event_type=EventType.ASSESSMENT_MARK, actor_name="office_head").exists()

    assert office.post(f"{path}/submit", {"expected_version": 2}).json()["status"] == "submitted"
    assert office.post(f"{path}/review", {"expected_version": 3}).status_code == 403

    review = {k: v for k, v in full_items(region).items() if k != "1.1"}
    review["1.2"] = {"score": 2, "comment": "制度未上墙"}
    response = county.post(f"{path}/review", {"expected_version": 3, "items": review,
                                              "claims": {"1.1": {"approved": True}}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["marks"]["county"]["1.2"]["score"], body["claims"][0]["county_decision"]) == (2.0, "approved")

    response = county.post(f"{path}/forward", {"expected_version": body["version"], "opinion": "同意上报。"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "reviewed"
    version = response.json()["version"]

    assert county.post(f"{path}/audit", {"expected_version": version, "reason": "x"}).status_code == 403
    response = city.post(f"{path}/audit", {"expected_version": version, "items": {"1.3": {"score": 1}},
                                           "reason": "抽查台帐不全"})
    assert response.status_code == 200, response.content
    assert response.json()["marks"]["city"]["1.3"]["score"] == 1.0
    response = city.post(f"{path}/audit/close", {"expected_version": response.json()["version"], "opinion": "属实"})
    assert (response.json()["status"], response.json()["audit_opinion"]) == ("audited", "属实")

    other_a = submission(region, region.office_a2)
    services.submission_save_draft(actor=None, submission=other_a, expected_version=1, items=full_items(region),
                                   declaration=DECLARATION)
    for step in ("submit", "review", "forward", "close"):
        other_a.refresh_from_db()
        if step == "submit":
            services.submission_submit(actor=None, submission=other_a, expected_version=other_a.version)
        elif step == "review":
            services.review_save(actor=None, submission=other_a, expected_version=other_a.version,
                                 items=full_items(region))
        elif step == "forward":
            services.submission_forward(actor=None, submission=other_a, expected_version=other_a.version,
                                        opinion="同意")
        else:
            services.submission_audit(actor=None, submission=other_a, expected_version=other_a.version)
    services.campaign_publish(actor=users["city_admin"], campaign=campaign(region), county=region.county_a)

    result = office.get(path).json()["result"]
    # Full points but 1.1 (no duty: half its 3 points), 1.2 (the county's 2 of 3) and 1.3 (the city's 1 of 2).
    assert result["total"] == result["data"]["total"] == 100 - 1.5 - 1 - 1
    assert result["awarded"] is result["passed"] is True


def test_a_stale_version_gets_409_with_the_current_values_and_nothing_is_written(api_as, users, region):
    sub = at_stage(region, "filled")
    office = api_as(users["office_staff"])
    response = office.post(f"{BASE}/submissions/{sub.pk}/draft",
                           {"expected_version": sub.version - 1, "items": {"1.1": {"score": 0, "comment": "旧"}}})
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["field"]) == ("conflict", "expected_version")
    assert body["current"]["version"] == sub.version
    assert body["current"]["marks"]["1.1"]["score"] == 3.0
    assert sub.marks.get(item_id="1.1", level="self").score == 3

    county = api_as(users["county_reviewer"])
    sub = at_stage(region, "submitted")
    response = county.post(f"{BASE}/submissions/{sub.pk}/return", {"expected_version": 1, "reason": "补充"})
    assert (response.status_code, response.json()["current"]["status"]) == (409, "submitted")


def test_service_refusals_name_the_field(api_as, users, region):
    sub = submission(region)
    office = api_as(users["office_head"])
    path = f"{BASE}/submissions/{sub.pk}"

    response = office.post(f"{path}/draft", {"expected_version": 1, "items": {"1.1": {"score": 4}}})
    assert (response.status_code, response.json()["field"]) == (422, "score_1.1")
    response = office.post(f"{path}/draft", {"expected_version": 1, "items": {"9.9": {"score": 1}}})
    assert (response.status_code, response.json()["field"]) == (422, "items")
    response = office.post(f"{path}/submit", {"expected_version": 1})
    assert response.status_code == 422
    # The heading, then one line per missing item (in the request's language, Chinese by default).
    messages = [e["message"] for e in response.json()["errors"]]
    assert "1.1" in messages[1] and "1.2" in messages[2]
    sub.refresh_from_db()
    assert (sub.version, sub.status, sub.marks.count()) == (1, "draft", 0)

    sub = at_stage(region, "submitted")
    county = api_as(users["county_reviewer"])
    response = county.post(f"{path}/return", {"expected_version": sub.version, "reason": " "})
    assert (response.status_code, response.json()["field"]) == (422, "reason")
    response = county.post(f"{path}/forward", {"expected_version": sub.version, "opinion": "同意"})
    assert response.status_code == 422
    assert any("1.1" in e["message"] for e in response.json()["errors"][1:])
    response = county.post(f"{path}/review", {"expected_version": sub.version, "items": {"1.1": {"score": 2}}})
    assert (response.status_code, response.json()["field"]) == (422, "comment_1.1")
