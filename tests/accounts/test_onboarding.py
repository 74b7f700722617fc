"""Onboarding from the staff list (issue 12): a unit's manager requests accounts for chosen people, the system
administrator creates them with one-time passwords on a printable sheet, the security administrator grants the
roles proposed from the posts; the three administrators (三员分立) stay apart."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from factories import make_staff
from jiceng.accounts import onboarding
from jiceng.accounts.models import Membership, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(region):
    return {"head": make_staff(region.office_a1, post="head", name="王所长"),
            "window": make_staff(region.office_a2, post="window", name="李窗口"),
            "other": make_staff(region.office_b1, post="staff", name="乙所职工")}


def test_the_whole_onboarding_in_three_hands(users, people, region, client_for):
    # 1. The county chooses people of its staff list (county A only) and requests accounts.
    county = client_for(users["county_reviewer"])
    page = county.get(reverse("accounts:onboarding_request")).content.decode()
    assert "王所长" in page and "李窗口" in page and "乙所职工" not in page
    assert county.post(reverse("accounts:onboarding_request"),
                       {"staff": [people["head"].pk, people["window"].pk]}).status_code == 302
    assert not User.objects.filter(full_name="王所长").exists()
    # 2. The system administrator creates them: one sheet, passwords shown once and not cached.
    sysadmin = client_for(users["system_admin"])
    assert [r["name"] for r in sysadmin.get(reverse("accounts:onboarding")).context["requests"]] == ["王所长", "李窗口"]
    response = sysadmin.post(reverse("accounts:onboarding"), {"staff": [people["head"].pk, people["window"].pk]})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = response.context["sheet"]
    for row in sheet:
        user = User.objects.get(pk=row["user"].pk)
        assert user.check_password(row["password"]) and user.must_change_password
        assert row["password"] in response.content.decode()
        assert not user.memberships.exists()  # the system administrator grants no role
    assert [r["role"] for r in sheet] == ["office_head", "window_staff"]
    assert sysadmin.get(reverse("accounts:onboarding")).context["requests"] == []
    # 3. The security administrator grants the proposed roles.
    secadmin = client_for(users["security_admin"])
    proposals = secadmin.get(reverse("accounts:onboarding_roles")).context["proposals"]
    assert sorted(p["user"].full_name for p in proposals) == ["李窗口", "王所长"]
    assert secadmin.post(reverse("accounts:onboarding_roles"),
                         {"user": [p["user"].pk for p in proposals]}).status_code == 302
    head = User.objects.get(full_name="王所长")
    assert list(Membership.objects.filter(user=head).values_list("unit", "role")) == [
        (region.office_a1.pk, "office_head")]
    assert secadmin.get(reverse("accounts:onboarding_roles")).context["proposals"] == []


def test_a_second_post_creates_nothing_twice(users, people):
    onboarding.accounts_request(actor=users["county_reviewer"], staff_ids=[people["head"].pk])
    onboarding.accounts_from_requests(actor=users["system_admin"], staff_ids=[people["head"].pk])
    count = User.objects.count()
    with pytest.raises(ValidationError):
        onboarding.accounts_from_requests(actor=users["system_admin"], staff_ids=[people["head"].pk])
    with pytest.raises(ValidationError):  # already onboarded: not requested again
        onboarding.accounts_request(actor=users["county_reviewer"], staff_ids=[people["head"].pk])
    assert User.objects.count() == count


def test_people_outside_the_scope_cannot_be_requested(users, people):
    with pytest.raises(ValidationError) as exc:
        onboarding.accounts_request(actor=users["county_reviewer"], staff_ids=[people["head"].pk,
                                                                              people["other"].pk])
    assert "未提交任何申请" in exc.value.messages[0] or "nothing was requested" in exc.value.messages[0]
    assert onboarding.pending_requests(users["system_admin"]) == []


def test_the_three_administrators_stay_apart(users, people, client_for):
    onboarding.accounts_request(actor=users["county_reviewer"], staff_ids=[people["head"].pk])
    with pytest.raises(PermissionDenied):
        onboarding.accounts_from_requests(actor=users["security_admin"], staff_ids=[people["head"].pk])
    with pytest.raises(PermissionDenied):
        onboarding.pending_proposals(users["system_admin"])
    assert client_for(users["security_admin"]).get(reverse("accounts:onboarding")).status_code == 403
    assert client_for(users["system_admin"]).get(reverse("accounts:onboarding_roles")).status_code == 403
    assert client_for(users["system_admin"]).get(reverse("accounts:onboarding_request")).status_code == 403
    assert client_for(users["city_admin"]).get(reverse("accounts:onboarding")).status_code == 403


def test_one_time_passwords_pass_the_password_rules():
    from django.contrib.auth.password_validation import validate_password

    passwords = {onboarding.one_time_password() for _ in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        validate_password(password)
