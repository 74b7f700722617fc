"""Session policy: idle expiry, absolute lifetime, forced and periodic password change."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from jiceng.core.audit import record_now
from jiceng.core.models import EventType

LOGIN_AT = "jiceng_login_at"
SEEN_AT = "jiceng_seen_at"
# The idle stamp is rewritten at most this often (seconds): a page view within it leaves the session
# unmodified, so the session row is not written on every logged-in page (issue 16, page cost at scale).
# The idle limit is then honoured to within this much.
SEEN_RESOLUTION = 60

# Paths a user with an expired or temporary password may still reach.
_PASSWORD_EXEMPT = ("/accounts/password/", "/accounts/logout/", "/static/", "/i18n/")


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # The API authenticates by token alone and ignores the session, so a
        # browser's session cookie must not turn an API call into a redirect.
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if user is not None and user.is_authenticated:
            response = self._enforce(request, user)
            if response is not None:
                return response
            response = self.get_response(request)
            # Signed-in pages hold unit and personal data; a shared office PC
            # must not keep them in its browser cache.
            patch_cache_control(response, private=True, no_store=True)
            return response
        return self.get_response(request)

    def _enforce(self, request, user):
        now = time.time()
        session = request.session
        login_at = session.setdefault(LOGIN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        idle_limit = settings.SESSION_IDLE_MINUTES * 60
        absolute_limit = settings.SESSION_ABSOLUTE_MINUTES * 60
        if now - seen_at > idle_limit or now - login_at > absolute_limit:
            why = "idle" if now - seen_at > idle_limit else "lifetime"
            record_now(EventType.SESSION_EXPIRED, actor=user, subject=user, details={"why": why})
            # Read by the log-out audit handler (core.signals), so that record says why too.
            request.logout_reason = f"session expired ({why})"
            logout(request)
            messages.info(request, _("Your session has expired. Please log in again."))
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if SEEN_AT not in session or now - seen_at >= SEEN_RESOLUTION:
            session[SEEN_AT] = now
        if (user.must_change_password or user.password_expired()) and not request.path.startswith(_PASSWORD_EXEMPT):
            if user.must_change_password:
                messages.warning(request, _("Please set a new password before you continue."))
            else:
                messages.warning(request, _("Your password has expired. Please set a new one."))
            return redirect("accounts:password_change")
        return None
