"""An account created by the system administrator must change its password at the first log-in."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

TEMPORARY = "Temp#2026abc"
NEW = "Mine#2026xyz"


def test_new_account_must_change_password_at_first_login(open_tour, demo):
    admin = open_tour("sysadmin")
    admin.login("sysadmin", demo.password)
    admin.goto("/accounts/users/")
    admin.click_and_load(admin.page.locator("main a[href='/accounts/users/new/']"))
    form = admin.page.locator("main form")
    form.locator("#id_username").fill("newcomer")
    form.locator("#id_full_name").fill("新同事 何佳")
    form.locator("#id_password").fill(TEMPORARY)
    admin.shot("new-account")
    admin.click_and_load(form.locator("button[type=submit]"))
    assert admin.path().startswith("/accounts/users/") and admin.path() != "/accounts/users/new/"
    assert "newcomer" in admin.page.locator("main h1").inner_text()
    assert admin.page.locator(".alert-success").count() == 1
    admin.shot("created")

    from jiceng.accounts.models import User

    assert User.objects.get(username="newcomer").must_change_password is True

    newcomer = open_tour("newcomer")
    newcomer.login("newcomer", TEMPORARY)
    assert newcomer.path() == "/accounts/password/"
    assert newcomer.page.locator(".alert-warning").is_visible()
    newcomer.shot("forced")

    # Any other page sends him back until the password is changed.
    newcomer.page.goto(newcomer.url("/org/units/"))
    newcomer.settle()
    assert newcomer.path() == "/accounts/password/"

    # A new password that breaks the rules is refused, with the reason by the field.
    form = newcomer.page.locator("main form")
    form.locator("#id_old_password").fill(TEMPORARY)
    form.locator("#id_new_password").fill("short")
    form.locator("#id_new_password_again").fill("short")
    newcomer.click_and_load(form.locator("button[type=submit]"))
    assert newcomer.path() == "/accounts/password/"
    reasons = newcomer.page.locator("main .mb-3", has=newcomer.page.locator("#id_new_password")).locator(
        ".invalid-feedback"
    )
    assert reasons.count() >= 1, "the reason should stand by the new-password field"
    newcomer.shot("refused")

    form = newcomer.page.locator("main form")
    form.locator("#id_old_password").fill(TEMPORARY)
    form.locator("#id_new_password").fill(NEW)
    form.locator("#id_new_password_again").fill(NEW)
    newcomer.click_and_load(form.locator("button[type=submit]"))
    assert newcomer.path() == "/"
    assert newcomer.page.locator(".alert-success").is_visible()
    assert newcomer.page.get_by_test_id("roles").locator(".badge").count() == 0  # no role granted yet
    newcomer.shot("home")
    assert User.objects.get(username="newcomer").must_change_password is False

    # The temporary password is gone; the new one works.
    newcomer.logout()
    newcomer.login("newcomer", TEMPORARY)
    assert newcomer.path().startswith("/accounts/login/")
    newcomer.login("newcomer", NEW)
    assert newcomer.path() == "/"
