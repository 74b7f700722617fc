"""The assessment workflow over /api/v1/assessments: scopes, the whole cycle, locking and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .assessment_states import (
    DECLARATION,
    IN_PERIOD,
    IN_PERIOD_2,
    IN_PERIOD_3,
    SCHEME,
    at_stage,
    campaign,
    county_a_campaign,
    evidence,
    flagged,
    full_items,
    new_campaign,
    pdf,
    png,
    published,
    ready,
    submission,
)

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


# --- the operations beyond the review cycle -------------------------------------------------------------


def _event(event_type, actor: str, subject):
    """The newest audit record of this kind by this user on `subject` (None when there is none)."""
    from jiceng.core.models import AuditEvent

    return (
        AuditEvent.objects.filter(event_type=event_type, actor_name=actor, object_id=str(subject.pk),
                                  object_type=subject._meta.label_lower)
        .order_by("-seq")
        .first()
    )


def _refused(response, status: int, code: str, field=None):
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (status, code, field), (
        response.content)


def test_the_city_creates_a_campaign(api_as, users, region):
    from jiceng.assessments.models import Campaign
    from jiceng.core.models import EventType

    body = new_campaign(region)
    response = api_as(users["city_admin"]).post(f"{BASE}/campaigns/", body)
    assert response.status_code == 201, response.content
    out = response.json()
    created = Campaign.objects.get(pk=out["id"])
    assert (created.name, created.unit, created.scheme_id, created.seed) == ("矩阵考核", region.city, SCHEME, 3)
    assert set(created.submissions.values_list("unit", flat=True)) == {region.office_a1.pk, region.office_a2.pk}
    # Half of two offices drawn for audit in sample mode, with the seed recorded.
    assert created.submissions.filter(needs_audit=True).count() == 1
    assert [(str(t.due), t.share) for t in created.targets.all()] == [(body["targets"][0]["due"], Decimal("0.5"))]
    assert (out["participants"], out["audit_mode"], out["items"][0]["id"]) == (2, "sample", "1.1")
    event = _event(EventType.CREATE, "city_admin", created)
    assert event.after["participants"] == ["CA1", "CA2"] and event.after["seed"] == 3


def test_every_office_takes_part_when_no_units_are_named(api_as, users, region):
    body = {k: v for k, v in new_campaign(region).items() if k not in ("units", "targets", "seed")}
    response = api_as(users["city_admin"]).post(f"{BASE}/campaigns/", {**body, "audit_mode": "all"})
    assert response.status_code == 201, response.content
    assert response.json()["participants"] == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scheme_id": "no-such-scheme"}, "scheme_id"),
        ({"review_deadline": "2000-01-01"}, "review_deadline"),
        ({"period_end": "2000-01-01"}, "period_end"),
        ({"audit_mode": "lottery"}, "audit_mode"),
        ({"sample_ratio": 0}, "sample_ratio"),
        ({"name": " "}, "name"),
        ({"units": [987654]}, "units"),
        ({"targets": [{"due": "2030-01-01", "share": 1.5}]}, "targets.0.share"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_a_bad_campaign_names_the_field_and_creates_nothing(change, field, api_as, users, region):
    from jiceng.assessments.models import Campaign

    response = api_as(users["city_admin"]).post(f"{BASE}/campaigns/", {**new_campaign(region), **change})
    _refused(response, 422, "validation_error", field)
    assert not Campaign.objects.exists()


def test_a_campaign_over_a_unit_that_is_no_office_is_refused(api_as, users, region):
    from jiceng.assessments.models import Campaign

    # A county bureau is no office: it cannot take part.
    response = api_as(users["city_admin"]).post(f"{BASE}/campaigns/",
                                                {**new_campaign(region), "units": [region.county_a.pk]})
    _refused(response, 422, "validation_error", "units")
    assert not Campaign.objects.exists()


def test_only_the_city_creates_campaigns(api_as, users, region):
    from jiceng.assessments.models import Campaign

    for name in ("county_reviewer", "office_head"):
        response = api_as(users[name]).post(f"{BASE}/campaigns/", new_campaign(region))
        _refused(response, 403, "permission_denied")
    assert not Campaign.objects.exists()


def test_the_county_marks_a_pilot_office(api_as, users, region):
    from jiceng.core.models import EventType

    sub = submission(region)
    response = api_as(users["county_reviewer"]).post(f"{BASE}/submissions/{sub.pk}/pilot", {"pilot": True})
    assert response.status_code == 200, response.content
    assert response.json()["pilot"] is True
    sub.refresh_from_db()
    assert sub.pilot is True
    event = _event(EventType.UPDATE, "county_reviewer", sub)
    assert (event.before, event.after) == ({"pilot": False}, {"pilot": True})

    _refused(api_as(users["office_head"]).post(f"{BASE}/submissions/{sub.pk}/pilot", {"pilot": False}),
             403, "permission_denied")
    _refused(api_as(users["city_admin"]).post(f"{BASE}/submissions/{sub.pk}/pilot", {"pilot": False}),
             403, "permission_denied")
    _refused(api_as(users["other_county_head"]).post(f"{BASE}/submissions/{sub.pk}/pilot", {"pilot": False}),
             404, "not_found")
    _refused(api_as(users["county_reviewer"]).post(f"{BASE}/submissions/{sub.pk}/pilot", {}),
             422, "validation_error", "pilot")
    sub.refresh_from_db()
    assert sub.pilot is True


# --- evidence -----------------------------------------------------------------------------------------------


def test_the_office_uploads_evidence_and_anyone_in_scope_downloads_it(api_as, users, region):
    import hashlib
    import io

    from PIL import Image
    from pypdf import PdfReader

    from jiceng.core.models import EventType

    sub = submission(region)
    office = api_as(users["office_head"])
    photo, document = png(), pdf()
    response = office.upload(f"{BASE}/submissions/{sub.pk}/evidence", {"item_id": "1.1", "file": ("台帐.png", photo)})
    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["item_id"], out["name"], out["type"], out["size"]) == ("1.1", "台帐.png", "png", len(photo))
    assert out["sha256"] == hashlib.sha256(photo).hexdigest()
    stored = sub.evidence.get()
    assert stored.file.read() == photo
    event = _event(EventType.CREATE, "office_head", sub)
    assert event.after["evidence"]["sha256"] == out["sha256"]

    response = office.upload(f"{BASE}/submissions/{sub.pk}/evidence", {"item_id": "1.2", "file": ("制度.pdf", document)})
    assert (response.status_code, response.json()["type"]) == (201, "pdf")
    listed = office.get(f"{BASE}/submissions/{sub.pk}").json()["evidence"]
    assert [(e["item_id"], e["type"]) for e in listed] == [("1.1", "png"), ("1.2", "pdf")]

    # The county reads the files back: the same bytes, a real image and a real PDF.
    county = api_as(users["county_reviewer"])
    response = county.get(listed[0]["download"])
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content == photo
    assert Image.open(io.BytesIO(content)).size == (8, 8)
    response = county.get(listed[1]["download"])
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == 1

    _refused(api_as(users["other_county_head"]).get(listed[0]["download"]), 404, "not_found")


def test_evidence_is_checked_by_its_content(api_as, users, region, settings):
    sub = submission(region)
    office = api_as(users["office_head"])
    path = f"{BASE}/submissions/{sub.pk}/evidence"
    # A text file named and labelled as a photo is refused; so is an empty one.
    response = office.upload(path, {"item_id": "1.1", "file": ("photo.png", b"just some text, not an image")})
    _refused(response, 422, "validation_error", "file")
    _refused(office.upload(path, {"item_id": "1.1", "file": ("empty.pdf", b"")}), 422, "validation_error", "file")
    _refused(office.upload(path, {"item_id": "9.9", "file": ("x.png", png())}), 422, "validation_error", "item_id")
    _refused(office.upload(path, {"item_id": "1.1"}), 422, "validation_error", "file")
    settings.ASSESSMENT_EVIDENCE_MAX_BYTES = 100
    _refused(office.upload(path, {"item_id": "1.1", "file": ("big.pdf", pdf())}), 422, "validation_error", "file")
    assert sub.evidence.count() == 0


def test_evidence_is_the_offices_own_to_add_and_remove(api_as, users, region):
    sub = submission(region)
    upload = {"item_id": "1.1", "file": ("x.png", png())}
    _refused(api_as(users["county_reviewer"]).upload(f"{BASE}/submissions/{sub.pk}/evidence", upload),
             403, "permission_denied")
    _refused(api_as(users["other_county_head"]).upload(f"{BASE}/submissions/{sub.pk}/evidence", upload),
             404, "not_found")
    assert sub.evidence.count() == 0

    stored = evidence(region)
    _refused(api_as(users["county_reviewer"]).delete(f"{BASE}/evidence/{stored.pk}"), 403, "permission_denied")
    _refused(api_as(users["other_county_head"]).delete(f"{BASE}/evidence/{stored.pk}"), 404, "not_found")
    assert sub.evidence.count() == 1


def test_the_office_removes_evidence_with_a_reason_once_returned(api_as, users, region,
                                                                 django_capture_on_commit_callbacks):
    from jiceng.assessments import services
    from jiceng.core.models import EventType

    stored = evidence(region)
    office = api_as(users["office_head"])
    sub = at_stage(region, "submitted")
    # Submitted: out of the office's hands.
    _refused(office.delete(f"{BASE}/evidence/{stored.pk}"), 422, "validation_error")
    services.submission_return(actor=None, submission=sub, expected_version=sub.version, reason="照片不清")
    _refused(office.delete(f"{BASE}/evidence/{stored.pk}"), 422, "validation_error", "reason")
    assert sub.evidence.count() == 1
    name = stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = office.delete(f"{BASE}/evidence/{stored.pk}", {"reason": "换清晰照片"})
    assert response.status_code == 204
    assert sub.evidence.count() == 0
    event = _event(EventType.DELETE, "office_head", sub)
    assert (event.reason, event.before["evidence"]["sha256"]) == ("换清晰照片", stored.sha256)
    assert stored.file.storage.exists(name) is False
    _refused(office.delete(f"{BASE}/evidence/{stored.pk}"), 404, "not_found")
    _refused(office.get(f"{BASE}/evidence/{stored.pk}"), 404, "not_found")


def test_a_returned_submission_takes_new_evidence_only_with_a_reason(api_as, users, region):
    from jiceng.assessments import services

    sub = at_stage(region, "submitted")
    services.submission_return(actor=None, submission=sub, expected_version=sub.version, reason="缺照片")
    office = api_as(users["office_head"])
    path = f"{BASE}/submissions/{sub.pk}/evidence"
    _refused(office.upload(path, {"item_id": "1.1", "file": ("x.png", png())}), 422, "validation_error", "reason")
    response = office.upload(path, {"item_id": "1.1", "reason": "补充照片", "file": ("x.png", png())})
    assert response.status_code == 201, response.content
    assert sub.evidence.count() == 1


# --- the city: vetoes, bonuses, flags ---------------------------------------------------------------------------


def test_the_city_registers_a_veto_with_its_evidence(api_as, users, region):
    import hashlib

    from jiceng.core.models import EventType

    sub = submission(region)
    city = api_as(users["city_admin"])
    document = pdf()
    response = city.upload(f"{BASE}/submissions/{sub.pk}/vetoes", {
        "veto_id": "major-accident", "occurred_on": IN_PERIOD, "description": "办公楼火灾", "evidence": ("通报.pdf", document),
    })
    assert response.status_code == 200, response.content
    veto = response.json()["vetoes"][0]
    assert (veto["veto_id"], veto["description"], veto["evidence_type"]) == ("major-accident", "办公楼火灾", "pdf")
    assert veto["text"] == "考评期间发生重大安全事故的"
    assert veto["evidence_sha256"] == hashlib.sha256(document).hexdigest()
    stored = sub.vetoes.get()
    assert stored.evidence.read() == document
    assert response.json()["version"] == sub.version + 1
    event = _event(EventType.ASSESSMENT_VETO, "city_admin", sub)
    assert (event.reason, event.after["veto"]) == ("办公楼火灾", "major-accident")


def test_a_veto_s_evidence_is_downloaded_by_whoever_sees_the_submission(api_as, users, region):
    import hashlib
    import io

    from PIL import Image

    from jiceng.core.models import EventType

    sub = submission(region)
    photo = png()
    response = api_as(users["city_admin"]).upload(f"{BASE}/submissions/{sub.pk}/vetoes", {
        "veto_id": "major-accident", "occurred_on": IN_PERIOD, "description": "办公楼火灾", "evidence": ("现场.png", photo),
    })
    assert response.status_code == 200, response.content
    veto = response.json()["vetoes"][0]
    assert veto["download"] == f"{BASE}/vetoes/{veto['id']}/evidence"
    digest = hashlib.sha256(photo).hexdigest()
    assert (veto["evidence_type"], veto["evidence_sha256"]) == ("png", digest)

    # The county reviewing the office reads the file back: the same bytes, a real image.
    county = api_as(users["county_reviewer"])
    assert county.get(f"{BASE}/submissions/{sub.pk}").json()["vetoes"][0]["download"] == veto["download"]
    response = county.get(veto["download"])
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response["Content-Disposition"] == f'attachment; filename="veto-{IN_PERIOD.replace("-", "")}-{digest[:12]}.png"'
    assert response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content)
    assert content == photo
    assert Image.open(io.BytesIO(content)).size == (8, 8)

    # The office of another county gets the 404 of "not found", and the attempt is recorded; no token, 401.
    _refused(api_as(users["other_county_head"]).get(veto["download"]), 404, "not_found")
    assert _event(EventType.ACCESS_DENIED, "other_county_head", sub) is not None
    _refused(api_as(None).get(veto["download"]), 401, "not_authenticated")

    # A row that outlived its file (storage restored from an older backup) is a 404, not a 500.
    stored = sub.vetoes.get()
    stored.evidence.storage.delete(stored.evidence.name)
    _refused(county.get(veto["download"]), 404, "not_found")


def test_a_veto_without_evidence_has_nothing_to_download(api_as, users, region):
    sub = submission(region)
    city = api_as(users["city_admin"])
    response = city.upload(f"{BASE}/submissions/{sub.pk}/vetoes", {
        "veto_id": "leader-discipline", "occurred_on": IN_PERIOD, "description": "所长受党纪处分"})
    assert response.status_code == 200, response.content
    veto = response.json()["vetoes"][0]
    assert (veto["evidence_type"], veto["evidence_sha256"], veto["download"]) == ("", "", None)
    for name in ("city_admin", "county_reviewer", "office_head"):
        _refused(api_as(users[name]).get(f"{BASE}/vetoes/{veto['id']}/evidence"), 404, "not_found")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"veto_id": "no-such-veto"}, "veto_id"),
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
        ({"occurred_on": "someday"}, "occurred_on"),
        ({"description": "  "}, "description"),
        ({"evidence": ("通报.pdf", b"plain text")}, "evidence"),
    ],
)
def test_a_bad_veto_names_the_field(change, field, api_as, users, region):
    sub = submission(region)
    body = {"veto_id": "major-accident", "occurred_on": IN_PERIOD, "description": "火灾", **change}
    _refused(api_as(users["city_admin"]).upload(f"{BASE}/submissions/{sub.pk}/vetoes", body),
             422, "validation_error", field)
    sub.refresh_from_db()
    assert (sub.vetoes.count(), sub.version) == (0, 1)


def test_a_veto_after_publication_revokes_the_award(api_as, users, region):
    from jiceng.core.models import EventType

    sub = published(region)
    response = api_as(users["city_admin"]).upload(f"{BASE}/submissions/{sub.pk}/vetoes", {
        "veto_id": "leader-discipline", "occurred_on": IN_PERIOD, "description": "所长受党纪处分"})
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert (result["passed"], result["awarded"]) == (True, False)
    assert "所长受党纪处分" in result["revoke_reason"]
    assert _event(EventType.ASSESSMENT_REVOKE, "city_admin", sub).after == {"awarded": False,
                                                                          "veto": "leader-discipline"}


def test_the_city_registers_a_bonus_once_and_before_publication(api_as, users, region):
    from jiceng.core.models import EventType

    sub = submission(region)
    city = api_as(users["city_admin"])
    path = f"{BASE}/submissions/{sub.pk}/bonuses"
    response = city.post(path, {"bonus_id": "city-satisfied", "awarded_on": IN_PERIOD_2, "note": "市级满意站所"})
    assert response.status_code == 200, response.content
    bonus = response.json()["bonuses"][0]
    assert (bonus["bonus_id"], bonus["title"], bonus["points"], bonus["note"]) == (
        "city-satisfied", "市级及以上满意站所", 15.0, "市级满意站所")
    assert sub.bonuses.get().awarded_on.isoformat() == IN_PERIOD_2
    assert _event(EventType.ASSESSMENT_BONUS, "city_admin", sub).after == {"bonus": "city-satisfied",
                                                                          "date": IN_PERIOD_2}

    _refused(city.post(path, {"bonus_id": "city-satisfied", "awarded_on": IN_PERIOD_3}),
             422, "validation_error", "bonus_id")
    _refused(city.post(path, {"bonus_id": "best-office", "awarded_on": IN_PERIOD_3}), 422, "validation_error",
             "bonus_id")
    _refused(api_as(users["county_reviewer"]).post(path, {"bonus_id": "county-satisfied", "awarded_on": IN_PERIOD_3}),
             403, "permission_denied")
    _refused(api_as(users["other_county_head"]).post(path, {"bonus_id": "county-satisfied",
                                                            "awarded_on": IN_PERIOD_3}), 404, "not_found")
    late = published(region)
    _refused(city.post(f"{BASE}/submissions/{late.pk}/bonuses", {"bonus_id": "county-satisfied",
                                                                  "awarded_on": IN_PERIOD_3}),
             422, "validation_error")
    assert sub.bonuses.count() == 1 and late.bonuses.count() == 0


def test_a_city_write_moves_the_version_so_a_stale_save_gets_409(api_as, users, region):
    sub = at_stage(region, "submitted")
    seen = sub.version
    response = api_as(users["city_admin"]).post(f"{BASE}/submissions/{sub.pk}/bonuses",
                                                {"bonus_id": "county-satisfied", "awarded_on": IN_PERIOD_2})
    assert response.json()["version"] == seen + 1
    response = api_as(users["county_reviewer"]).post(f"{BASE}/submissions/{sub.pk}/return",
                                                     {"expected_version": seen, "reason": "补充"})
    assert (response.status_code, response.json()["current"]["version"]) == (409, seen + 1)


def test_flags_are_shown_and_the_city_dismisses_one_with_a_reason(api_as, users, region):
    from jiceng.core.models import EventType

    flag = flagged(region)
    sub = flag.submission
    county = api_as(users["county_reviewer"])
    detail = county.get(f"{BASE}/submissions/{sub.pk}").json()
    assert detail["flags"] == ["false-data"]
    shown = detail["flag_records"][0]
    assert (shown["id"], shown["active"], shown["automatic"]) == (flag.pk, True, True)
    assert float(shown["details"]["gap"]) > 10

    path = f"{BASE}/flags/{flag.pk}/dismiss"
    _refused(county.post(path, {"reason": "自评属实"}), 403, "permission_denied")
    _refused(api_as(users["other_county_head"]).post(path, {"reason": "x"}), 404, "not_found")
    city = api_as(users["city_admin"])
    _refused(city.post(path, {}), 422, "validation_error", "reason")
    _refused(city.post(path, {"reason": "  "}), 422, "validation_error", "reason")
    flag.refresh_from_db()
    assert flag.active is True

    response = city.post(path, {"reason": "复核后评分差异属实有据"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["flags"] == []
    assert (body["flag_records"][0]["active"], body["flag_records"][0]["dismissed_by"]) == (False, "city_admin")
    flag.refresh_from_db()
    assert (flag.active, flag.dismissed_reason) == (False, "复核后评分差异属实有据")
    event = _event(EventType.ASSESSMENT_FLAG, "city_admin", sub)
    assert (event.reason, event.after) == ("复核后评分差异属实有据", {"flag": "false-data", "active": False})
    # Dismissed already: nothing left to dismiss.
    _refused(city.post(path, {"reason": "再次"}), 422, "validation_error")
    _refused(city.post(f"{BASE}/flags/987654/dismiss", {"reason": "x"}), 404, "not_found")


# --- publication, revocation, results -----------------------------------------------------------------------


def test_the_city_publishes_one_county_and_the_results_are_frozen(api_as, users, region):
    from jiceng.assessments.models import Result
    from jiceng.core.models import EventType

    target = ready(region)
    city = api_as(users["city_admin"])
    response = city.post(f"{BASE}/campaigns/{target.pk}/publish", {"county": region.county_a.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert [(r["unit_code"], r["total"], r["grade"], r["awarded"]) for r in body["items"]] == [
        ("CA1", 100.0, "达标", True), ("CA2", 100.0, "达标", True)]
    assert body["items"][0]["scheme_sha256"] == target.scheme_sha256
    assert set(target.submissions.values_list("status", flat=True)) == {"published"}
    assert Result.objects.filter(submission__campaign=target).count() == 2
    for sub in target.submissions.all():
        assert _event(EventType.ASSESSMENT_PUBLISH, "city_admin", sub).after["grade"] == "达标"

    _refused(city.post(f"{BASE}/campaigns/{target.pk}/publish", {}), 422, "validation_error")


def test_publication_is_refused_while_a_submission_is_not_ready(api_as, users, region):
    from jiceng.assessments.models import Result

    at_stage(region, "reviewed")
    city = api_as(users["city_admin"])
    response = city.post(f"{BASE}/campaigns/{campaign(region).pk}/publish", {})
    _refused(response, 422, "validation_error")
    # The heading, then one line per office not ready (the others are drafts; CA1 awaits its audit).
    assert len(response.json()["errors"]) == 4
    _refused(city.post(f"{BASE}/campaigns/{campaign(region).pk}/publish", {"county": region.office_a1.pk}),
             422, "validation_error", "county")
    _refused(api_as(users["county_reviewer"]).post(f"{BASE}/campaigns/{campaign(region).pk}/publish", {}),
             403, "permission_denied")
    _refused(api_as(users["other_county_head"]).post(f"{BASE}/campaigns/{county_a_campaign(region).pk}/publish",
                                                      {}), 404, "not_found")
    assert not Result.objects.exists()


def test_the_city_revokes_an_award_with_a_reason(api_as, users, region):
    from jiceng.core.models import EventType

    sub = published(region)
    city = api_as(users["city_admin"])
    path = f"{BASE}/submissions/{sub.pk}/revoke"
    _refused(city.post(path, {"reason": ""}), 422, "validation_error", "reason")
    _refused(api_as(users["county_reviewer"]).post(path, {"reason": "x"}), 403, "permission_denied")
    _refused(api_as(users["other_county_head"]).post(path, {"reason": "x"}), 404, "not_found")
    sub.result.refresh_from_db()
    assert sub.result.awarded is True

    response = city.post(path, {"reason": "复查发现台帐造假"})
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert (result["awarded"], result["revoke_reason"]) == (False, "复查发现台帐造假")
    sub.result.refresh_from_db()
    assert sub.result.revoked_at is not None
    event = _event(EventType.ASSESSMENT_REVOKE, "city_admin", sub)
    assert (event.reason, event.after) == ("复查发现台帐造假", {"awarded": False, "veto": None})
    _refused(city.post(path, {"reason": "再次"}), 422, "validation_error")
    _refused(city.post(f"{BASE}/submissions/{submission(region).pk}/revoke", {"reason": "未公布"}),
             422, "validation_error")


def test_the_results_are_scoped_like_the_submissions(api_as, users, region):
    target = ready(region)
    city = api_as(users["city_admin"])
    assert city.get(f"{BASE}/campaigns/{target.pk}/results").json() == {"count": 0, "items": []}
    sub = published(region)
    rows = city.get(f"{BASE}/campaigns/{target.pk}/results").json()
    assert [r["unit_code"] for r in rows["items"]] == ["CA1", "CA2"]
    row = rows["items"][0]
    assert (row["submission_id"], row["county_id"], row["max"], row["passed"]) == (
        sub.pk, region.county_a.pk, 100.0, True)
    assert (row["scheme_id"], row["scheme_version"]) == (SCHEME, target.scheme_version)
    assert isinstance(row["reasons"], list)
    own = api_as(users["office_staff"]).get(f"{BASE}/campaigns/{target.pk}/results").json()
    assert [r["unit_code"] for r in own["items"]] == ["CA1"]
    paged = city.get(f"{BASE}/campaigns/{target.pk}/results", {"limit": 1, "offset": 1}).json()
    assert (paged["count"], [r["unit_code"] for r in paged["items"]]) == (2, ["CA2"])
    _refused(api_as(users["other_county_head"]).get(f"{BASE}/campaigns/{target.pk}/results"), 404, "not_found")


def test_a_multipart_body_that_cannot_be_read_is_a_400_after_authentication(api_as, users, region):
    sub = submission(region)
    office = api_as(users["office_head"])
    # No boundary: Django cannot split the body into parts.
    broken = {"content_type": "multipart/form-data", "data": b"--x\r\nnot really\r\n"}
    for path in (f"{BASE}/submissions/{sub.pk}/evidence", f"{BASE}/submissions/{sub.pk}/vetoes"):
        response = office.client.post(path, **broken, headers=office.headers)
        _refused(response, 400, "validation_error")
        assert "multipart/form-data" in response.json()["message"]
        _refused(api_as(None).client.post(path, **broken), 401, "not_authenticated")
    assert sub.evidence.count() == 0


# --- deadlines: the city's extension (延期) and the campaign's dates ------------------------------------------------


def _day(n: int):
    """`n` days from today in the bureau's time zone, the day the deadlines are checked against."""
    from datetime import timedelta

    from jiceng.assessments.deadlines import local_today

    return local_today() + timedelta(days=n)


def _days(n: int) -> str:
    return _day(n).isoformat()


def test_a_submission_shows_its_deadline_and_is_open_before_it(api_as, users, region):
    sub = submission(region)
    body = api_as(users["office_head"]).get(f"{BASE}/submissions/{sub.pk}").json()
    assert body["submit_deadline"] == campaign(region).self_deadline.isoformat()
    assert (body["submit_closed"], body["submit_closed_reason"], body["overdue"], body["extension"]) == (
        False, "", None, None)
    row = api_as(users["office_head"]).get(f"{BASE}/submissions/").json()["items"][0]
    assert (row["id"], row["submit_deadline"], row["overdue"]) == (sub.pk, body["submit_deadline"], None)
    assert api_as(users["city_admin"]).get(f"{BASE}/campaigns/{campaign(region).pk}").json()["overdue"] == 0


def test_the_city_extends_an_office_s_deadline_audited_and_told_in_its_inbox(api_as, users, region):
    from jiceng.core.models import EventType
    from jiceng.inbox.selectors import inbox_items

    sub = submission(region)
    old = campaign(region).self_deadline
    response = api_as(users["city_admin"]).post(f"{BASE}/submissions/{sub.pk}/extend",
                                                {"extended_to": _days(35), "reason": " 所长病休，同意延期 "})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["submit_deadline"] == _days(35)
    assert body["version"] == sub.version  # the office's open form stays valid
    extension = body["extension"]
    assert (extension["extended_to"], extension["reason"], extension["by"], extension["in_force"]) == (
        _days(35), "所长病休，同意延期", "city_admin", True)
    assert extension["at"] is not None
    sub.refresh_from_db()
    assert (sub.self_deadline_extended_to.isoformat(), sub.extension_reason, sub.extended_by_name) == (
        _days(35), "所长病休，同意延期", "city_admin")
    event = _event(EventType.UPDATE, "city_admin", sub)
    assert (event.reason, event.details["kind"]) == ("所长病休，同意延期", "assessment.extension")
    assert (event.before["self_deadline"], event.after["self_deadline"]) == (old.isoformat(), _days(35))
    told = [i for i in inbox_items(users["office_head"]) if i.kind == "extension"]
    assert [(i.body, i.due.isoformat()) for i in told] == [("所长病休，同意延期", _days(35))]
    assert _days(35) in told[0].title
    assert not [i for i in inbox_items(users["other_county_head"]) if i.kind == "extension"]
    # The office reads it on its submission too.
    assert api_as(users["office_head"]).get(f"{BASE}/submissions/{sub.pk}").json()["extension"] == extension


def test_only_the_city_extends_a_deadline(api_as, users, region):
    from jiceng.inbox.models import Reminder

    sub = submission(region)
    path = f"{BASE}/submissions/{sub.pk}/extend"
    body = {"extended_to": _days(35), "reason": "延期"}
    _refused(api_as(users["county_reviewer"]).post(path, body), 403, "permission_denied")
    _refused(api_as(users["office_head"]).post(path, body), 403, "permission_denied")
    _refused(api_as(users["other_county_head"]).post(path, body), 404, "not_found")
    _refused(api_as(users["city_admin"]).post(f"{BASE}/submissions/987654/extend", body), 404, "not_found")
    sub.refresh_from_db()
    assert sub.self_deadline_extended_to is None
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "said"),
    [
        ({"extended_to": 35}, "reason", None),
        ({"extended_to": 35, "reason": "  "}, "reason", None),
        ({"extended_to": "someday", "reason": "延期"}, "extended_to", None),
        ({"reason": "延期"}, "extended_to", None),
        # On or before the campaign's own deadline (today + 30), in the past, after the review deadline (+45).
        ({"extended_to": 30, "reason": "延期"}, "extended_to", 30),
        ({"extended_to": -1, "reason": "延期"}, "extended_to", None),
        ({"extended_to": 46, "reason": "延期"}, "extended_to", 45),
        ({"extended_to": 35, "reason": "延期", "surprise": 1}, "surprise", None),
    ],
)
def test_a_bad_extension_names_the_field_and_changes_nothing(body, field, said, api_as, users, region):
    from jiceng.inbox.models import Reminder

    sub = submission(region)
    if isinstance(body.get("extended_to"), int):
        body = {**body, "extended_to": _days(body["extended_to"])}
    response = api_as(users["city_admin"]).post(f"{BASE}/submissions/{sub.pk}/extend", body)
    _refused(response, 422, "validation_error", field)
    if said is not None:
        assert _days(said) in response.json()["message"]  # the refusal names the date that bounds it
    sub.refresh_from_db()
    assert (sub.self_deadline_extended_to, sub.extension_reason) == (None, "")
    assert not Reminder.objects.exists()


def test_a_submitted_submission_gets_no_extension_and_a_returned_one_none_before_the_review_deadline(api_as, users, region):
    from jiceng.assessments import services

    sub = at_stage(region, "submitted")
    city = api_as(users["city_admin"])
    path = f"{BASE}/submissions/{sub.pk}/extend"
    _refused(city.post(path, {"extended_to": _days(35), "reason": "延期"}), 422, "validation_error")
    services.submission_return(actor=None, submission=sub, expected_version=sub.version, reason="补充")
    response = city.post(path, {"extended_to": _days(35), "reason": "延期"})
    _refused(response, 422, "validation_error", "extended_to")
    # A returned submission runs until the county review deadline anyway: an extension must go beyond it.
    assert campaign(region).review_deadline.isoformat() in response.json()["message"]
    sub.refresh_from_db()
    assert (sub.status, sub.self_deadline_extended_to) == ("returned", None)


def test_submitting_after_the_deadline_is_a_422_naming_the_date_until_the_city_extends_it(api_as, users, region):
    from jiceng.assessments import services

    sub = at_stage(region, "filled")
    run = campaign(region)
    services.campaign_change_deadlines(actor=None, campaign=run, self_deadline=_day(-1),
                                       review_deadline=run.review_deadline, audit_deadline=run.audit_deadline,
                                       reason="往年材料补录")
    office = api_as(users["office_head"])
    path = f"{BASE}/submissions/{sub.pk}"
    response = office.post(f"{path}/submit", {"expected_version": sub.version})
    _refused(response, 422, "deadline_passed")  # its own code: the client offers to ask for an extension
    refusal = response.json()
    assert _days(-1) in refusal["message"]
    assert [e["message"] for e in refusal["errors"]] == [refusal["message"]]
    sub.refresh_from_db()
    assert sub.status == "draft"

    # The submission says so before anyone tries: closed, why, and late in the office's stage.
    detail = office.get(path).json()
    assert (detail["submit_deadline"], detail["submit_closed"], detail["submit_closed_reason"]) == (
        _days(-1), True, refusal["message"])
    late = detail["overdue"]
    assert (late["stage"], late["deadline"], late["days"]) == ("self", _days(-1), 1)
    assert _days(-1) in late["message"] and late["stage_label"]
    rows = api_as(users["city_admin"]).get(f"{BASE}/submissions/", {"campaign": run.pk}).json()["items"]
    assert {r["unit_id"]: (r["overdue"] or {}).get("stage") for r in rows} == {
        region.office_a1.pk: "self", region.office_a2.pk: "self", region.office_b1.pk: "self"}
    assert api_as(users["city_admin"]).get(f"{BASE}/campaigns/{run.pk}").json()["overdue"] == 3
    assert api_as(users["county_reviewer"]).get(f"{BASE}/campaigns/{run.pk}").json()["overdue"] == 2

    # Saving stays open; the city's extension reopens submitting for this office alone.
    response = office.post(f"{path}/draft", {"expected_version": sub.version, "items": {"1.1": {"score": 2}}})
    assert response.status_code == 200, response.content
    response = api_as(users["city_admin"]).post(f"{path}/extend", {"extended_to": _days(3), "reason": "系统故障"})
    assert (response.json()["submit_closed"], response.json()["overdue"]) == (False, None)
    assert api_as(users["city_admin"]).get(f"{BASE}/campaigns/{run.pk}").json()["overdue"] == 2
    response = office.post(f"{path}/submit", {"expected_version": sub.version + 1})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    # Submitted: now waiting for the county, whose deadline is ahead.
    assert (response.json()["overdue"], response.json()["submit_closed"]) == (None, False)


def test_the_city_moves_the_campaign_s_deadlines_with_a_reason(api_as, users, region):
    from jiceng.core.models import EventType

    target = county_a_campaign(region)
    old = (target.self_deadline, target.review_deadline, target.audit_deadline)
    city = api_as(users["city_admin"])
    body = {"self_deadline": old[0].isoformat(), "review_deadline": _days(60), "audit_deadline": _days(75),
            "reason": "县局反映考评任务重"}
    response = city.post(f"{BASE}/campaigns/{target.pk}/deadlines", body)
    assert response.status_code == 200, response.content
    out = response.json()
    assert (out["id"], out["self_deadline"], out["review_deadline"], out["audit_deadline"]) == (
        target.pk, old[0].isoformat(), _days(60), _days(75))
    assert (out["participants"], out["overdue"], out["items"][0]["id"]) == (2, 0, "1.1")
    target.refresh_from_db()
    assert (target.review_deadline.isoformat(), target.audit_deadline.isoformat()) == (_days(60), _days(75))
    event = _event(EventType.UPDATE, "city_admin", target)
    assert (event.reason, event.details["kind"]) == ("县局反映考评任务重", "assessment.deadlines")
    # Only the dates that moved.
    assert event.before == {"review_deadline": old[1].isoformat(), "audit_deadline": old[2].isoformat()}
    assert event.after == {"review_deadline": _days(60), "audit_deadline": _days(75)}
    assert city.get(f"{BASE}/campaigns/{target.pk}").json()["review_deadline"] == _days(60)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"reason": None}, "reason"),
        ({"review_deadline": -5}, "review_deadline"),  # before the self-evaluation deadline
        ({"audit_deadline": 40}, "review_deadline"),  # the audit before the review
        ({"self_deadline": "2021-02-30"}, "self_deadline"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_campaign_deadlines_name_the_field_and_change_nothing(change, field, api_as, users, region):
    target = county_a_campaign(region)
    old = (target.self_deadline, target.review_deadline, target.audit_deadline)
    body = {"self_deadline": _days(31), "review_deadline": _days(50), "audit_deadline": _days(70), "reason": "调整"}
    for name, value in change.items():
        if value is None:
            body.pop(name)
        else:
            body[name] = _days(value) if isinstance(value, int) and name != "surprise" else value
    response = api_as(users["city_admin"]).post(f"{BASE}/campaigns/{target.pk}/deadlines", body)
    _refused(response, 422, "validation_error", field)
    target.refresh_from_db()
    assert (target.self_deadline, target.review_deadline, target.audit_deadline) == old


def test_only_the_city_moves_deadlines_and_never_before_an_extension(api_as, users, region):
    from jiceng.assessments import services

    target = campaign(region)
    old = (target.self_deadline, target.review_deadline, target.audit_deadline)
    path = f"{BASE}/campaigns/{target.pk}/deadlines"
    body = {"self_deadline": _days(30), "review_deadline": _days(36), "audit_deadline": _days(60), "reason": "提前"}
    _refused(api_as(users["county_reviewer"]).post(path, body), 403, "permission_denied")
    _refused(api_as(users["office_head"]).post(path, body), 403, "permission_denied")
    _refused(api_as(users["other_county_head"]).post(f"{BASE}/campaigns/{county_a_campaign(region).pk}/deadlines",
                                                     body), 404, "not_found")
    city = api_as(users["city_admin"])
    # Unchanged dates: nothing to do.
    _refused(city.post(path, {"self_deadline": old[0].isoformat(), "review_deadline": old[1].isoformat(),
                              "audit_deadline": old[2].isoformat(), "reason": "同上"}), 422, "validation_error")
    # An office's extension to day 40 would lie after a review deadline moved to day 36: the refusal names it.
    services.submission_extend_deadline(actor=users["city_admin"], submission=submission(region),
                                        extended_to=_day(40), reason="延期")
    response = city.post(path, body)
    _refused(response, 422, "validation_error", "review_deadline")
    assert region.office_a1.name in response.json()["message"]
    target.refresh_from_db()
    assert (target.self_deadline, target.review_deadline, target.audit_deadline) == old
