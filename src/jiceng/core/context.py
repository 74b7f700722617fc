"""Per-request context that services need but should not take as arguments everywhere.

Only the client address lives here: the acting user is always passed explicitly
(`actor=`), so a command or background job can never borrow a request's user.
"""

from __future__ import annotations

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("jiceng_client_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


def set_ip(value: str | None):
    return _ip.set(value)


def reset_ip(token) -> None:
    _ip.reset(token)


def client_ip(request) -> str | None:
    # Behind nginx the real address arrives in X-Forwarded-For; trust it only
    # when the operator says a proxy is in front (TRUSTED_PROXY_COUNT).
    from django.conf import settings

    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    return request.META.get("REMOTE_ADDR") or None
