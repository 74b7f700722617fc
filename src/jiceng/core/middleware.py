from __future__ import annotations

from .context import client_ip, reset_ip, set_ip


class RequestContextMiddleware:
    """Makes the client address available to audit records written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_ip(token)


class PermissionRefusalMiddleware:
    """Every PermissionDenied raised by a view becomes a permission-refusal audit record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied

        if isinstance(exception, PermissionDenied):
            from .audit import record_now
            from .models import EventType, Outcome

            user = getattr(request, "user", None)
            record_now(
                EventType.ACCESS_DENIED,
                actor=user,
                actor_name=None if user is not None and user.is_authenticated else "anonymous",
                outcome=Outcome.DENIED,
                details={"path": request.path[:200], "method": request.method},
            )
        return None
