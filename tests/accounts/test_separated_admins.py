"""三员分立: the system administrator cannot take over the other two administrators' accounts."""

import pytest
from django.core.exceptions import PermissionDenied

from jiceng.accounts import services


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["audit_admin", "security_admin"])
def test_system_admin_cannot_reset_another_administrators_password(users, target):
    with pytest.raises(PermissionDenied):
        services.user_reset_password(
            actor=users["system_admin"], user=users[target], password="Xy#12345abc", reason="忘记密码"
        )
    users[target].refresh_from_db()
    assert users[target].check_password("Test#pass2026")


@pytest.mark.django_db
def test_system_admin_cannot_deactivate_the_audit_administrator(users):
    with pytest.raises(PermissionDenied):
        services.user_update(actor=users["system_admin"], user=users["audit_admin"], is_active=False)
    users["audit_admin"].refresh_from_db()
    assert users["audit_admin"].is_active


@pytest.mark.django_db
def test_system_admin_still_resets_a_business_users_password(users):
    services.user_reset_password(actor=users["system_admin"], user=users["office_head"], password="Xy#12345abc")
    users["office_head"].refresh_from_db()
    assert users["office_head"].check_password("Xy#12345abc")
    assert users["office_head"].must_change_password
