"""Personal API tokens: created on a page and shown once, stored hashed, expiring, revocable, audited."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units/"


def _create_on_page(client, name="nightly export", expires_on=""):
    response = client.post(reverse("tokens:list"), {"name": name, "expires_on": expires_on})
    assert response.status_code == 200
    match = re.search(r'value="(jct_[^"]+)"', response.content.decode())
    assert match, "the new token is not on the page"
    return response, match.group(1)


def test_a_token_is_created_on_the_page_shown_once_and_stored_only_hashed(client_for, users):
    from jiceng.api.models import ApiToken

    client = client_for(users["office_head"])
    response, secret = _create_on_page(client)
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=users["office_head"])
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 2
    assert secret not in {token.name, token.prefix, token.digest}
    # The list shows the prefix only; the secret never appears again.
    again = client.get(reverse("tokens:list")).content.decode()
    assert token.prefix in again
    assert secret not in again


def test_the_secret_has_high_entropy(users, token_for):
    secrets_ = {token_for(users["office_head"]) for _ in range(5)}
    assert len(secrets_) == 5
    assert all(len(s) >= 40 for s in secrets_)


def test_creating_and_revoking_a_token_are_audited_without_the_secret(client_for, users):
    from jiceng.api.models import ApiToken
    from jiceng.core.models import AuditEvent, EventType

    client = client_for(users["office_head"])
    _, secret = _create_on_page(client, name="gis sync")
    token = ApiToken.objects.get(user=users["office_head"])
    created = AuditEvent.objects.get(event_type=EventType.TOKEN_CREATE)
    assert created.actor_name == "office_head"
    assert created.after["name"] == "gis sync" and created.after["prefix"] == token.prefix
    response = client.post(reverse("tokens:revoke", args=[token.pk]), {"reason": "laptop lost"})
    assert response.status_code == 302
    revoked = AuditEvent.objects.get(event_type=EventType.TOKEN_REVOKE)
    assert revoked.reason == "laptop lost" and revoked.object_id == str(token.pk)
    for row in AuditEvent.objects.all():
        assert secret not in str(row.after) + str(row.before) + str(row.details)
        assert token.digest not in str(row.after) + str(row.before)


def test_a_token_authenticates_as_its_owner(api_as, users, region):
    response = api_as(users["office_head"]).get(UNITS)
    assert response.status_code == 200, response.content
    assert [u["code"] for u in response.json()["items"]] == ["CA1"]


def test_using_a_token_records_when_it_was_last_used(api_as, users, region):
    from jiceng.api.models import ApiToken

    api_as(users["office_head"]).get(UNITS)
    assert ApiToken.objects.get(user=users["office_head"]).last_used_at is not None


def test_a_revoked_token_gets_401(client, client_for, users, region):
    from jiceng.api.models import ApiToken

    page = client_for(users["office_head"])
    _, secret = _create_on_page(page)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(UNITS, headers=headers).status_code == 200
    token = ApiToken.objects.get(user=users["office_head"])
    page.post(reverse("tokens:revoke", args=[token.pk]))
    client.logout()
    response = client.get(UNITS, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_gets_401(client, users, region, token_for):
    from jiceng.api.models import ApiToken

    secret = token_for(users["office_head"], expires_at=timezone.now() + timedelta(days=1))
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(UNITS, headers=headers).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(UNITS, headers=headers).status_code == 401


def test_the_expiry_date_on_the_page_ends_that_day(client_for, users):
    from jiceng.api.models import ApiToken

    day = timezone.localdate() + timedelta(days=30)
    _create_on_page(client_for(users["office_head"]), expires_on=day.isoformat())
    expires = timezone.localtime(ApiToken.objects.get().expires_at)
    assert expires.date() == day + timedelta(days=1) and expires.hour == 0


def test_an_expiry_in_the_past_is_refused_with_a_message(client_for, users):
    from jiceng.api.models import ApiToken

    client = client_for(users["office_head"])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(reverse("tokens:list"), {"name": "x", "expires_on": yesterday})
    assert response.status_code == 200
    assert "expires_on" in response.context["form"].errors
    assert ApiToken.objects.count() == 0


def test_a_token_of_a_deactivated_account_gets_401(api_as, users, region):
    api = api_as(users["office_head"])
    users["office_head"].is_active = False
    users["office_head"].save(update_fields=["is_active"])
    assert api.get(UNITS).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Bearer jct_not-a-real-token", "Token abc", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 500],
)
def test_missing_or_malformed_credentials_get_401(client, region, header):
    response = client.get(UNITS, headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_session_cookie_alone_does_not_authenticate_the_api(client_for, users, region):
    response = client_for(users["office_head"]).get(UNITS)
    assert response.status_code == 401


def test_an_expired_session_does_not_redirect_a_token_request(client_for, users, region, token_for, settings):
    """The web session policy (idle expiry, forced password change) never turns an API call into a redirect."""
    users["office_head"].must_change_password = True
    users["office_head"].save(update_fields=["must_change_password"])
    client = client_for(users["office_head"])
    secret = token_for(users["office_head"])
    response = client.get(UNITS, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def test_token_posts_need_no_csrf_token(users, region, token_for):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    secret = token_for(users["office_head"])
    staff_id = client.get("/api/v1/staff/", headers={"Authorization": f"Bearer {secret}"}).json()["items"][0]["id"]
    response = client.post(
        f"/api/v1/staff/{staff_id}/unmask",
        {"field": "phone", "reason": "call about the flood"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200, response.content


def test_users_cannot_revoke_another_users_token_and_the_attempt_is_recorded(client_for, users, token_for):
    from jiceng.api.models import ApiToken
    from jiceng.core.models import AuditEvent, EventType

    token_for(users["office_head"])
    token = ApiToken.objects.get()
    response = client_for(users["other_county_head"]).post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor_name="other_county_head").exists()


def test_the_token_page_needs_a_log_in(client):
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302


def test_every_signed_in_user_sees_the_api_tokens_menu_item(client_for, users):
    for name in ("no_role", "office_staff", "audit_admin"):
        nav = client_for(users[name]).get(reverse("tokens:list")).context["nav_items"]
        assert reverse("tokens:list") in [item["url"] for item in nav]
