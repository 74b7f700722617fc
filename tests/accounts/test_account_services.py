"""Account and role services: capabilities, validation, one audit record per change."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from factories import PASSWORD
from jiceng.accounts import services
from jiceng.accounts.models import Membership, User
from jiceng.core.models import AuditEvent, EventType


def test_only_the_system_admin_creates_accounts(users):
    for role in ("security_admin", "audit_admin", "city_admin", "office_head"):
        with pytest.raises(PermissionDenied):
            services.user_create(actor=users[role], username=f"by_{role}", full_name="x", password="Temp#orary2026")
    assert not User.objects.filter(username__startswith="by_").exists()


def test_an_account_created_by_the_system_admin_is_recorded(users):
    user = services.user_create(actor=users["system_admin"], username="zhou", full_name="周", password="Temp#orary2026")
    row = AuditEvent.objects.filter(event_type=EventType.ACCOUNT_CREATE).order_by("-seq").first()
    assert row.actor_name == "system_admin" and row.object_id == str(user.pk)
    assert row.after == {"username": "zhou", "full_name": "周", "email": "", "is_active": True,
                         "must_change_password": True}
    assert "Temp#orary2026" not in str(row.after) and user.password not in str(row.after)


def test_a_taken_user_name_is_refused_on_its_field(users):
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(actor=users["system_admin"], username="office_head", full_name="x",
                             password="Temp#orary2026")
    assert "username" in excinfo.value.message_dict


def test_updating_an_account_records_what_changed(users):
    services.user_update(actor=users["system_admin"], user=users["office_head"], full_name="张所长", reason="typo")
    row = AuditEvent.objects.filter(event_type=EventType.ACCOUNT_UPDATE).get()
    assert row.before == {"full_name": "office_head"} and row.after == {"full_name": "张所长"}
    assert row.reason == "typo"


def test_the_system_admin_cannot_deactivate_their_own_account(users):
    with pytest.raises(ValidationError) as excinfo:
        services.user_update(actor=users["system_admin"], user=users["system_admin"], is_active=False)
    assert "is_active" in excinfo.value.message_dict
    users["system_admin"].refresh_from_db()
    assert users["system_admin"].is_active


def test_a_deactivated_account_loses_its_session_and_cannot_log_in(client, users):
    client.post(reverse("accounts:login"), {"username": "office_head", "password": PASSWORD})
    assert client.get("/").status_code == 200
    services.user_update(actor=users["system_admin"], user=users["office_head"], is_active=False, reason="left")
    assert client.get("/").status_code == 302
    response = client.post(reverse("accounts:login"), {"username": "office_head", "password": PASSWORD})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get("/").status_code == 302


def test_an_unknown_role_is_refused_and_nothing_is_saved(region, users):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_grant(actor=users["security_admin"], user=users["no_role"], unit=region.city,
                                  role="emperor")
    assert "role" in excinfo.value.message_dict
    assert not Membership.objects.filter(user=users["no_role"]).exists()


def test_granting_the_same_role_twice_is_one_membership_and_one_record(region, users):
    for _ in range(2):
        services.membership_grant(actor=users["security_admin"], user=users["no_role"], unit=region.office_a1,
                                  role="office_staff")
    assert users["no_role"].memberships.count() == 1
    grants = AuditEvent.objects.filter(event_type=EventType.ROLE_GRANT, object_id=str(users["no_role"].pk))
    assert grants.count() == 1


def test_only_the_security_admin_grants_and_revokes_roles(region, users):
    membership = users["office_staff"].memberships.get()
    for role in ("system_admin", "audit_admin", "city_admin"):
        with pytest.raises(PermissionDenied):
            services.membership_grant(actor=users[role], user=users["no_role"], unit=region.city, role="city_admin")
        with pytest.raises(PermissionDenied):
            services.membership_revoke(actor=users[role], membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not users["no_role"].memberships.exists()


def test_a_grant_takes_effect_on_the_next_request(client_for, region, users):
    client = client_for(users["no_role"])
    assert client.get(reverse("org:unit_detail", args=[region.office_b1.pk])).status_code == 404
    services.membership_grant(actor=users["security_admin"], user=users["no_role"], unit=region.county_b,
                              role="county_reviewer")
    assert client.get(reverse("org:unit_detail", args=[region.office_b1.pk])).status_code == 200


def test_the_login_page_does_not_redirect_to_another_host(client, users):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "office_head", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_login_page_follows_a_local_next(client, users):
    response = client.post(
        reverse("accounts:login"), {"username": "office_head", "password": PASSWORD, "next": "/org/staff/"}
    )
    assert response["Location"] == "/org/staff/"
