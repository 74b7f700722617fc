"""Bearer-token authentication for the API, and the business-role gate of unit-data endpoints."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from jiceng.core.scoping import VIEW, may_any

from .services import token_user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the request then acts as the token's owner.

    Session cookies are ignored here on purpose: an API call is authorised by
    its token alone, so there is no CSRF exposure and no session redirect.
    """

    def authenticate(self, request, token: str):
        user = token_user(token)
        if user is None:
            return None
        # Scoping and services read the acting user from here, as in the web UI.
        request.user = user
        return user


def business_user(request):
    """The acting user, who must hold a business role somewhere; else 403.

    The three separated administrators and users without a role are
    authenticated but have no unit data at all: they are refused, not shown
    empty lists, so a misconfigured integration fails loudly.
    """
    user = request.auth
    if not may_any(user, VIEW):
        raise PermissionDenied(_("Your account holds no role that gives access to unit data."))
    return user
