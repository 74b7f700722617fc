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

        from .refusals import OutOfScope, ensure_refusal_recorded

        if isinstance(exception, OutOfScope):
            ensure_refusal_recorded(exception.refusal)
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


class ChineseFirstLocaleMiddleware:
    """zh-hans unless the user chose another language with the switcher (the language cookie).

    Django's LocaleMiddleware also follows the browser's Accept-Language; on a
    county intranet a borrowed English-language laptop should still show the
    Chinese UI its colleagues see, so only an explicit choice changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
