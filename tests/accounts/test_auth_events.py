"""Log-in, failed log-in, log-out, lock-out, refusals and role changes go on the audit trail
with the actor, the client address and the outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from factories import PASSWORD
from jiceng.core import audit_chain
from jiceng.core.models import AuditEvent, EventType, Outcome

LOGIN = "/accounts/login/"
CLIENT_IP = "10.20.30.40"


def _post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=CLIENT_IP)


def _events(event_type):
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("seq"))


def test_a_login_is_recorded_with_actor_address_and_outcome(client, users):
    response = _post_login(client, "office_head", PASSWORD)
    assert response.status_code == 302
    (row,) = _events(EventType.LOGIN)
    assert row.actor_id == users["office_head"].pk and row.actor_name == "office_head"
    assert row.ip == CLIENT_IP and row.outcome == Outcome.SUCCESS


def test_a_failed_login_is_recorded_with_the_name_tried(client, users):
    response = _post_login(client, "office_head", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    (row,) = _events(EventType.LOGIN_FAILED)
    assert row.actor_id is None and row.actor_name == "office_head"
    assert row.ip == CLIENT_IP and row.outcome == Outcome.FAILURE
    assert "wrong-password" not in str(row.details) and "wrong-password" not in row.reason


def test_a_failed_login_for_an_unknown_name_is_recorded_too(client, db):
    _post_login(client, "nobody", "whatever1A!")
    (row,) = _events(EventType.LOGIN_FAILED)
    assert row.actor_name == "nobody" and row.outcome == Outcome.FAILURE


def test_a_logout_is_recorded(client, users):
    _post_login(client, "office_head", PASSWORD)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=CLIENT_IP)
    (row,) = _events(EventType.LOGOUT)
    assert row.actor_name == "office_head" and row.ip == CLIENT_IP and row.outcome == Outcome.SUCCESS
    assert client.get("/").status_code == 302


def _fail(client, times, username="office_head"):
    return [_post_login(client, username, f"wrong-{i}") for i in range(times)]


def test_five_failures_lock_the_account_and_the_lock_out_is_recorded(client, users):
    responses = _fail(client, 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert responses[4].status_code == 429
    rows = _events(EventType.LOCKOUT)
    assert rows and rows[0].actor_name == "office_head" and rows[0].outcome == Outcome.DENIED
    assert rows[0].ip == CLIENT_IP
    assert len(_events(EventType.LOGIN_FAILED)) == 5


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, users):
    _fail(client, 5)
    response = _post_login(client, "office_head", PASSWORD)
    assert response.status_code == 429
    assert response.context["locked_out"]
    assert "_auth_user_id" not in client.session
    assert not _events(EventType.LOGIN)
    assert client.get("/").status_code == 302


def test_four_failures_do_not_lock_and_a_success_resets_the_count(client, users):
    _fail(client, 4)
    assert _post_login(client, "office_head", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    _fail(client, 4)
    assert _post_login(client, "office_head", PASSWORD).status_code == 302
    assert not _events(EventType.LOCKOUT)


def test_the_lock_holds_one_account_not_the_whole_address(client, users):
    """A township reaches the county intranet through one NAT address: others must still get in."""
    _fail(client, 5)
    assert _post_login(client, "office_staff", PASSWORD).status_code == 302


def _age_attempts(minutes):
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))


def test_the_lock_lasts_thirty_minutes(client, users, settings):
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    _fail(client, 5)
    _age_attempts(29)
    assert _post_login(client, "office_head", PASSWORD).status_code == 429
    _age_attempts(31)
    assert _post_login(client, "office_head", PASSWORD).status_code == 302


def test_a_403_refusal_is_recorded_with_actor_address_and_path(client_for, users):
    client = client_for(users["system_admin"])
    response = client.get("/audit/", REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 403
    (row,) = _events(EventType.ACCESS_DENIED)
    assert row.actor_name == "system_admin" and row.actor_id == users["system_admin"].pk
    assert row.ip == CLIENT_IP and row.outcome == Outcome.DENIED
    assert row.details == {"path": "/audit/", "method": "GET"}


def test_an_out_of_scope_404_is_recorded_as_a_refusal(client_for, region, users):
    client = client_for(users["other_county_head"])
    response = client.get(reverse("org:unit_detail", args=[region.office_a1.pk]), REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 404
    (row,) = _events(EventType.ACCESS_DENIED)
    assert row.actor_name == "other_county_head" and row.ip == CLIENT_IP
    assert row.outcome == Outcome.DENIED and row.object_id == str(region.office_a1.pk)
    assert row.unit_path == region.office_a1.path


def test_a_404_for_an_object_that_does_not_exist_is_not_a_refusal(client_for, users):
    client = client_for(users["other_county_head"])
    assert client.get(reverse("org:unit_detail", args=[999999])).status_code == 404
    assert not _events(EventType.ACCESS_DENIED)


def test_granting_and_revoking_a_role_are_recorded(client_for, region, users):
    from jiceng.accounts.models import Membership

    client = client_for(users["security_admin"])
    target = users["no_role"]
    response = client.post(
        reverse("accounts:membership_list"),
        {"user": target.pk, "unit": region.office_a2.pk, "role": "office_staff", "reason": "new post"},
        REMOTE_ADDR=CLIENT_IP,
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=target)
    (grant,) = [e for e in _events(EventType.ROLE_GRANT) if e.actor_name == "security_admin"]
    assert grant.actor_name == "security_admin" and grant.ip == CLIENT_IP and grant.outcome == Outcome.SUCCESS
    assert grant.object_id == str(target.pk) and grant.after == {"role": "office_staff", "unit": "CA2"}
    assert grant.reason == "new post" and grant.unit_path == region.office_a2.path

    response = client.post(
        reverse("accounts:membership_revoke", args=[membership.pk]), {"reason": "moved"}, REMOTE_ADDR=CLIENT_IP
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(user=target).exists()
    (revoke,) = _events(EventType.ROLE_REVOKE)
    assert revoke.actor_name == "security_admin" and revoke.ip == CLIENT_IP
    assert revoke.before == {"role": "office_staff", "unit": "CA2"} and revoke.reason == "moved"


def test_the_trail_of_a_whole_session_verifies(client, users):
    _fail(client, 2)
    _post_login(client, "office_head", PASSWORD)
    client.get(reverse("org:unit_detail", args=[users["other_county_head"].memberships.get().unit_id]))
    client.post(reverse("accounts:logout"))
    result = audit_chain.verify()
    assert result.ok, result.problem
    assert result.checked == AuditEvent.objects.count()


@pytest.mark.parametrize("forwarded, hops, expected", [("1.1.1.1, 10.0.0.9", 1, "10.0.0.9"), ("1.1.1.1", 0, "127.0.0.1")])
def test_the_client_address_comes_from_the_proxy_only_when_one_is_trusted(client, users, settings, forwarded, hops, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    client.post(LOGIN, {"username": "office_head", "password": "x"}, HTTP_X_FORWARDED_FOR=forwarded)
    (row,) = _events(EventType.LOGIN_FAILED)
    assert row.ip == expected
