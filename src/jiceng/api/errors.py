"""One JSON shape for every API error, with a stable machine-readable code.

Like Saleor's per-domain error-code enums: clients branch on `code`, show
`message` (in the request's language, Chinese by default) and highlight
`field`. `errors` lists every field at fault when there is more than one.
Where Django's own catalogue already has a message, its exact message id is
reused, so the Chinese text comes with Django.
"""

from __future__ import annotations

import functools
import logging
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from jiceng.core.audit import record_now
from jiceng.core.models import EventType, Outcome
from jiceng.core.refusals import OutOfScope, ensure_refusal_recorded

from .common import NUL_FREE

logger = logging.getLogger(__name__)


class ErrorCode(StrEnum):
    """Stable values: clients depend on them, so never rename one; add new ones."""

    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    VALIDATION_ERROR = "validation_error"
    CONFLICT = "conflict"
    SERVER_ERROR = "server_error"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    DEADLINE_PASSED = "deadline_passed"


# Codes a service gives its ValidationError that clients need to tell apart from
# any other refusal (still 422): e.g. submitting after the deadline, where the
# client should offer to ask for an extension rather than to fix a field.
PROMOTED_CODES = {"deadline_passed": ErrorCode.DEADLINE_PASSED}


class FieldError(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    code: ErrorCode
    message: str
    field: str | None = None
    errors: list[FieldError] = []


# What every authenticated operation may answer besides its success; spread
# into each operation's `response=` so the schema documents (and schemathesis
# checks) the error bodies too.
ERROR_RESPONSES = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _respond(api, request, status: int, code: ErrorCode, message: str, errors=None, headers=None):
    errors = errors or []
    body = {
        "code": code.value,
        "message": message,
        "field": errors[0]["field"] if errors else None,
        "errors": errors,
    }
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _not_authenticated(api, request, exc):
    return _respond(
        api,
        request,
        401,
        ErrorCode.NOT_AUTHENTICATED,
        _("Send a valid API token: Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": 'Bearer realm="jiceng"'},
    )


def _permission_denied(api, request, exc):
    user = getattr(request, "auth", None)
    # The web's PermissionRefusalMiddleware never sees API refusals (ninja
    # answers them itself), so they go on the record here.
    record_now(
        EventType.ACCESS_DENIED,
        actor=user,
        actor_name=None if user is not None else "anonymous",
        outcome=Outcome.DENIED,
        details={"path": request.path[:200], "method": request.method, "via": "api"},
    )
    message = str(exc) if str(exc) else _("You do not have permission to do this.")
    return _respond(api, request, 403, ErrorCode.PERMISSION_DENIED, message)


def _not_found(api, request, exc):
    if isinstance(exc, OutOfScope):
        ensure_refusal_recorded(exc.refusal)
    return _respond(api, request, 404, ErrorCode.NOT_FOUND, _("Not found."))


def _django_validation(api, request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": None if name == NON_FIELD_ERRORS else name, "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": None, "message": message} for message in exc.messages]
        codes = {error.code for error in exc.error_list}
        promoted = [PROMOTED_CODES[code] for code in codes if code in PROMOTED_CODES]
        if len(promoted) == 1 and len(codes) == 1:
            return _respond(api, request, 422, promoted[0], errors[0]["message"], errors)
    return _respond(api, request, 422, ErrorCode.VALIDATION_ERROR, errors[0]["message"], errors)


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Enter a number.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date.")
    if kind in {"enum", "literal_error"}:
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": ctx.get("le")}
    if kind == "string_too_short":
        return _("This field cannot be blank.")
    if kind == "string_too_long":
        return _("Ensure this value has at most %(max)d characters.") % {"max": ctx.get("max_length", 0)}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == NUL_FREE:
        return _("Null characters are not allowed.")
    if kind == "decimal_max_digits":
        n = ctx.get("max_digits", 0)
        return ngettext(
            "Ensure that there are no more than %(max)s digit in total.",
            "Ensure that there are no more than %(max)s digits in total.",
            n,
        ) % {"max": n}
    if kind == "decimal_max_places":
        n = ctx.get("decimal_places", 0)
        return ngettext(
            "Ensure that there are no more than %(max)s decimal place.",
            "Ensure that there are no more than %(max)s decimal places.",
            n,
        ) % {"max": n}
    if kind == "decimal_whole_digits":
        n = ctx.get("whole_digits", 0)
        return ngettext(
            "Ensure that there are no more than %(max)s digit before the decimal point.",
            "Ensure that there are no more than %(max)s digits before the decimal point.",
            n,
        ) % {"max": n}
    if kind == "extra_forbidden":
        return _("This field cannot be changed here.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Send a JSON object.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "string_type":
        return _("Enter a text value.")
    return _("Enter a valid value.")


def _field_of(loc) -> str | None:
    parts = [str(part) for part in loc[1:]]
    if loc and loc[0] == "body":
        # ninja puts the operation's payload parameter name first: drop it.
        parts = parts[1:]
    return ".".join(parts) or None


def _request_validation(api, request, exc: NinjaValidationError):
    errors = [{"field": _field_of(e.get("loc", ())), "message": _pydantic_message(e)} for e in exc.errors]
    if not errors:
        errors = [{"field": None, "message": _("Enter a valid value.")}]
    return _respond(api, request, 422, ErrorCode.VALIDATION_ERROR, errors[0]["message"], errors)


def _http_error(api, request, exc: HttpError):
    if exc.status_code == 400:
        # ninja's only 400 is a body it cannot parse.
        errors = [{"field": None, "message": _("The request body is not valid JSON.")}]
        return _respond(api, request, 400, ErrorCode.VALIDATION_ERROR, errors[0]["message"], errors)
    if exc.status_code == 401:
        return _not_authenticated(api, request, exc)
    if exc.status_code == 403:
        return _permission_denied(api, request, PermissionDenied())
    if exc.status_code == 404:
        return _not_found(api, request, exc)
    return _server_error(api, request, exc)


def _conflict(api, request, exc):
    if isinstance(exc, ProtectedError | RestrictedError):
        message = _("Other records still refer to this one, so it cannot be removed.")
    else:
        message = _("This change conflicts with data saved meanwhile. Reload and try again.")
    return _respond(api, request, 409, ErrorCode.CONFLICT, message)


def _server_error(api, request, exc):
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return _respond(api, request, 500, ErrorCode.SERVER_ERROR, _("Something went wrong on the server."))


def json_method_not_allowed(api, view):
    """Wrap one of ninja's path views: its 405 (plain text "Method not allowed") becomes the JSON error.

    ninja answers a method a path lacks from inside its path view, outside every
    exception handler; the Allow header it sets is kept.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        return method_not_allowed(api, request, response.get("Allow", ""))

    return wrapped


def method_not_allowed(api, request, allowed: str):
    """The JSON 405: which method was refused and which the address takes (also in the Allow header)."""
    message = _("This address does not accept %(method)s; it accepts: %(allowed)s.") % {
        "method": request.method,
        "allowed": allowed,
    }
    return _respond(api, request, 405, ErrorCode.METHOD_NOT_ALLOWED, message, headers={"Allow": allowed})


def unknown_path(api):
    """The last route of the API: any other address under it is a JSON 404, not the web's HTML page."""

    def view(request, *args, **kwargs):
        message = _("There is no such API address.")
        if not request.path_info.endswith("/"):
            try:
                match = resolve(request.path_info + "/")
            except Resolver404:
                match = None
            if match is not None and match.url_name != "unknown-path":
                message = _("There is no such API address; did you mean %(path)s (with the slash)?") % {
                    "path": request.path + "/"
                }
        return _respond(api, request, 404, ErrorCode.NOT_FOUND, message)

    view.csrf_exempt = True
    return view


def install(api) -> None:
    """Replace ninja's default handlers, so no error leaves in another shape."""
    handlers = {
        AuthenticationError: _not_authenticated,
        PermissionDenied: _permission_denied,
        Http404: _not_found,
        DjangoValidationError: _django_validation,
        NinjaValidationError: _request_validation,
        HttpError: _http_error,
        ProtectedError: _conflict,
        RestrictedError: _conflict,
        IntegrityError: _conflict,
        Exception: _server_error,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, lambda request, exc, handler=handler: handler(api, request, exc))
