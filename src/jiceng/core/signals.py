"""Log-in, failed log-in, log-out and lock-out go on the audit trail.

These events are not changes made by a service, so the handlers write them
in a transaction of their own (audit.record_now). A successful log-in runs
inside the log-in view's transaction (accounts.views.LoginView), so the record
commits together with the session and last_login update.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import record_now
from .models import EventType, Outcome


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record_now(EventType.LOGIN, actor=user, subject=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "logout_reason", "") if request is not None else ""
        record_now(EventType.LOGOUT, actor=user, subject=user, reason=reason)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record_now(EventType.LOGIN_FAILED, actor_name=username, outcome=Outcome.FAILURE, details={"username": username})


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record_now(
        EventType.LOCKOUT,
        actor_name=str(username or "")[:150],
        outcome=Outcome.DENIED,
        details={"username": username},
        ip=ip_address,
    )


