"""Session policy: forced password change, rotation, idle expiry and absolute lifetime."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from factories import PASSWORD, make_user
from jiceng.accounts.middleware import LOGIN_AT, SEEN_AT
from jiceng.core.models import AuditEvent, EventType

PASSWORD_PAGE = "/accounts/password/"
NEW_PASSWORD = "Fresh#start2026"


def _login(client, username, password=PASSWORD):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


@pytest.fixture
def new_account(region, users):
    """An account a system administrator creates: it must change its password at first log-in."""
    from jiceng.accounts import services

    user = services.user_create(
        actor=users["system_admin"], username="newbie", full_name="新同事", password="Temp#orary2026"
    )
    services.membership_grant(actor=users["security_admin"], user=user, unit=region.office_a1, role="office_staff")
    return user


def test_an_account_an_administrator_creates_must_change_its_password(new_account):
    assert new_account.must_change_password


@pytest.mark.parametrize("page", ["/", "/org/staff/", "/org/units/", "/audit/", "/accounts/users/"])
def test_every_page_redirects_to_the_password_page_until_it_is_changed(client, new_account, page):
    _login(client, "newbie", "Temp#orary2026")
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == PASSWORD_PAGE


def test_the_password_page_itself_and_log_out_stay_reachable(client, new_account):
    _login(client, "newbie", "Temp#orary2026")
    assert client.get(PASSWORD_PAGE).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_changing_the_password_clears_the_flag_and_opens_the_site(client, new_account):
    _login(client, "newbie", "Temp#orary2026")
    response = client.post(
        PASSWORD_PAGE,
        {"old_password": "Temp#orary2026", "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    new_account.refresh_from_db()
    assert not new_account.must_change_password
    assert new_account.check_password(NEW_PASSWORD)
    # The session survives the change and the site is open.
    assert client.get("/").status_code == 200
    assert client.get("/org/staff/").status_code == 200
    row = AuditEvent.objects.filter(event_type=EventType.PASSWORD_CHANGE).order_by("-seq").first()
    assert row.actor_name == "newbie" and row.details == {"by": "self"}


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(client, new_account):
    _login(client, "newbie", "Temp#orary2026")
    wrong = client.post(
        PASSWORD_PAGE, {"old_password": "nope", "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    weak = client.post(
        PASSWORD_PAGE, {"old_password": "Temp#orary2026", "new_password": "abcdefgh", "new_password_again": "abcdefgh"}
    )
    assert weak.status_code == 200 and weak.context["form"].errors
    different = client.post(
        PASSWORD_PAGE,
        {"old_password": "Temp#orary2026", "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD + "x"},
    )
    assert "new_password_again" in different.context["form"].errors
    new_account.refresh_from_db()
    assert new_account.must_change_password and new_account.check_password("Temp#orary2026")


def test_an_administrator_reset_forces_a_change_again(client, region, users):
    from jiceng.accounts import services

    person = make_user("resetme", "office_staff", region.office_a1)
    services.user_reset_password(actor=users["system_admin"], user=person, password="Reset#pass2026", reason="forgot")
    _login(client, "resetme", "Reset#pass2026")
    assert client.get("/")["Location"] == PASSWORD_PAGE


def _age_password(user, days):
    from jiceng.accounts.models import User

    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=days))


def test_a_password_older_than_the_maximum_age_must_be_changed(client, settings, users):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _age_password(users["office_head"], 91)
    _login(client, "office_head")
    assert client.get("/")["Location"] == PASSWORD_PAGE


def test_a_password_younger_than_the_maximum_age_is_fine(client, settings, users):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _age_password(users["office_head"], 89)
    _login(client, "office_head")
    assert client.get("/").status_code == 200


def test_a_maximum_age_of_zero_disables_rotation(client, settings, users):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    _age_password(users["office_head"], 5000)
    _login(client, "office_head")
    assert client.get("/").status_code == 200


def test_changing_an_expired_password_restarts_the_clock(client, settings, users):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _age_password(users["office_head"], 200)
    _login(client, "office_head")
    client.post(PASSWORD_PAGE, {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
    assert client.get("/").status_code == 200
    users["office_head"].refresh_from_db()
    assert timezone.now() - users["office_head"].password_changed_at < timedelta(minutes=1)


def _shift_session(client, **ages_in_seconds):
    session = client.session
    now = time.time()
    for key, age in ages_in_seconds.items():
        session[key] = now - age
    session.save()


def test_an_idle_session_expires_and_the_expiry_is_recorded(client, settings, users):
    settings.SESSION_IDLE_MINUTES = 30
    _login(client, "office_head")
    assert client.get("/").status_code == 200
    _shift_session(client, **{SEEN_AT: 31 * 60})
    response = client.get("/org/staff/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/org/staff/"
    # Logged out for good, not only for one request.
    assert client.get("/")["Location"].startswith(reverse("accounts:login"))
    expired = AuditEvent.objects.filter(event_type=EventType.SESSION_EXPIRED).get()
    assert expired.actor_name == "office_head" and expired.details == {"why": "idle"}
    assert expired.ip == "127.0.0.1"
    logout = AuditEvent.objects.get(event_type=EventType.LOGOUT, actor_name="office_head")
    assert logout.reason == "session expired (idle)"


def test_an_active_session_is_kept_and_its_clock_refreshed(client, settings, users):
    settings.SESSION_IDLE_MINUTES = 30
    _login(client, "office_head")
    _shift_session(client, **{SEEN_AT: 29 * 60})
    assert client.get("/").status_code == 200
    assert time.time() - client.session[SEEN_AT] < 60
    assert not AuditEvent.objects.filter(event_type=EventType.SESSION_EXPIRED).exists()


def test_a_session_past_its_absolute_lifetime_expires_even_when_active(client, settings, users):
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_ABSOLUTE_MINUTES = 12 * 60
    _login(client, "office_head")
    _shift_session(client, **{LOGIN_AT: 12 * 60 * 60 + 60, SEEN_AT: 60})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    expired = AuditEvent.objects.filter(event_type=EventType.SESSION_EXPIRED).get()
    assert expired.details == {"why": "lifetime"}


def test_a_session_within_its_absolute_lifetime_is_kept(client, settings, users):
    settings.SESSION_ABSOLUTE_MINUTES = 12 * 60
    _login(client, "office_head")
    _shift_session(client, **{LOGIN_AT: 12 * 60 * 60 - 60, SEEN_AT: 60})
    assert client.get("/").status_code == 200


def test_logging_in_again_starts_a_new_lifetime(client, settings, users):
    settings.SESSION_ABSOLUTE_MINUTES = 60
    _login(client, "office_head")
    _shift_session(client, **{LOGIN_AT: 61 * 60})
    client.get("/")
    _login(client, "office_head")
    assert client.get("/").status_code == 200
    assert time.time() - client.session[LOGIN_AT] < 60


def test_the_expiry_message_is_shown_on_the_login_page(client, settings, users):
    settings.SESSION_IDLE_MINUTES = 30
    _login(client, "office_head")
    _shift_session(client, **{SEEN_AT: 31 * 60})
    response = client.get("/", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1


def _session_row(client):
    from django.contrib.sessions.models import Session

    row = Session.objects.get(session_key=client.session.session_key)
    return row.session_data, row.expire_date


def test_the_idle_stamp_is_written_at_most_once_a_minute(client, settings, users):
    """Page views within a minute of the stamp leave the session row alone; the next one after it rewrites it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SESSION_IDLE_MINUTES = 30
    _login(client, "office_head")
    _shift_session(client, **{SEEN_AT: 10})
    stamped = _session_row(client)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get("/org/staff/").status_code == 200
    assert _session_row(client) == stamped
    writes = [q["sql"] for q in queries.captured_queries
              if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    _shift_session(client, **{SEEN_AT: 61})
    before = _session_row(client)
    assert client.get("/org/staff/").status_code == 200
    assert _session_row(client) != before
    assert time.time() - client.session[SEEN_AT] < 5
