"""Idempotent submissions for pages that work offline (the offline queue; docs/architecture.md).

A field page (a patrol, a finding, a grid visit) may be filled in with no signal. The browser
(`core/static/jiceng/offline/queue.js`) gives every record a UUID when it is made, keeps the
POST in a local queue and sends it when the connection returns, again and again until the
server answers 2xx (stored) or 409 (already stored). The server keeps each key it has seen
(`OfflineSubmission`: key, user, kind, received_at, the object made), so a record sent twice
is one row: the second sending gets the first result back.

A view uses the decorator, whose wrapped function makes the record and returns it:

    @offline.idempotent("patrols.finding")
    def finding_create(request, pk): ...   # returns an HttpResponse, or (obj, response)

or calls `run_once(key=..., user=..., kind=..., create=lambda: services.finding_add(...))` itself.
`create` runs in the same transaction as the key's row: a refused record stores no key, so
the corrected record can be sent again under the same key.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .models import OfflineSubmission

# The request header the queue sends the key in; a plain form posts it as the field below.
HEADER = "HTTP_X_OFFLINE_KEY"
FIELD = "offline_key"
# The header that says "sent by the queue": answers are then JSON (201 / 409 / 400) instead of a redirect.
QUEUE_HEADER = "HTTP_X_OFFLINE_QUEUE"
RECORDED_FIELD = "offline_recorded_at"


@dataclass(frozen=True)
class Result:
    submission: OfflineSubmission
    duplicate: bool  # True: the key was seen before, nothing new was stored
    obj: Any = None  # the record made now (None for a duplicate: see submission.object_id)


def parse_key(value) -> uuid.UUID:
    """The submission's key as a UUID, or a ValidationError naming the field."""
    try:
        return uuid.UUID(str(value).strip())
    except (TypeError, ValueError, AttributeError):
        raise ValidationError({FIELD: _("The submission key “%(key)s” is not a UUID.") % {"key": str(value)[:60]}}) from None


def key_of(request) -> str | None:
    """The key a request carries (header first, then the form field), or None."""
    return request.META.get(HEADER) or request.POST.get(FIELD) or None


def from_queue(request) -> bool:
    return request.META.get(QUEUE_HEADER) == "1"


def recorded_at(request):
    """When the device says the record was made (the queue sends it), or None."""
    value = request.POST.get(RECORDED_FIELD) or ""
    return parse_datetime(value) if value else None


def run_once(*, key, user, kind: str, create: Callable[[], Any], recorded=None) -> Result:
    """Make the record once for `key`: a key seen before returns the first result and makes nothing.

    A key another user sent is refused (a ValidationError), never answered with their record.
    """
    key = parse_key(key)
    found = _existing(key, user)
    if found is not None:
        return Result(found, duplicate=True)
    try:
        with transaction.atomic():
            obj = create()
            submission = OfflineSubmission.objects.create(
                key=key, user=user, kind=kind, recorded_at=recorded,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                object_url=_url_of(obj),
            )
    except IntegrityError:
        # Two sendings at once: the other one stored the key first; answer with its result.
        found = _existing(key, user)
        if found is None:
            raise
        return Result(found, duplicate=True)
    return Result(submission, duplicate=False, obj=obj)


def _existing(key: uuid.UUID, user) -> OfflineSubmission | None:
    found = OfflineSubmission.objects.filter(key=key).first()
    if found is not None and found.user_id != getattr(user, "pk", None):
        raise ValidationError({FIELD: _("This submission key was used by another account.")})
    return found


def _url_of(obj) -> str:
    getter = getattr(obj, "get_absolute_url", None)
    try:
        return getter() if getter else ""
    except Exception:  # noqa: BLE001 - a record without a page still counts as stored
        return ""


def answer(request, result: Result, response: HttpResponse | None = None) -> HttpResponse:
    """The response for a result: JSON for the queue (201 new, 409 seen before), else the view's own."""
    if from_queue(request):
        status = 409 if result.duplicate else 201
        return JsonResponse({"key": str(result.submission.key), "duplicate": result.duplicate,
                             "url": result.submission.object_url}, status=status)
    if result.duplicate or response is None:
        # A form sent twice (a reload, a double tap): show the first result.
        return HttpResponseRedirect(result.submission.object_url or request.path)
    return response


def refused(request, errors: dict[str, list[str]] | list[str]) -> JsonResponse | None:
    """For the queue, a 400 with the reasons (the item stays queued and is shown as refused); else None."""
    if not from_queue(request):
        return None
    return JsonResponse({"errors": errors}, status=400)


def idempotent(kind: str):
    """A POST view made safe to send twice. The view returns (obj, response) for a record it made;
    any other return value (a form shown again with its errors) passes through and stores no key.
    A POST without a key is handled as before (no queue, no idempotency)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            key = key_of(request) if request.method == "POST" else None
            if key is None:
                out = view(request, *args, **kwargs)
                return out[1] if isinstance(out, tuple) else out
            holder: dict[str, Any] = {}

            def create():
                out = view(request, *args, **kwargs)
                if isinstance(out, tuple):
                    holder["response"] = out[1]
                    return out[0]
                holder["passthrough"] = out
                raise _NotStored

            try:
                result = run_once(key=key, user=request.user, kind=kind, create=create, recorded=recorded_at(request))
            except _NotStored:
                response = holder["passthrough"]
                if from_queue(request) and response.status_code == 200:
                    return JsonResponse({"errors": [_("The record was refused; open the page to correct it.")]},
                                        status=400)
                return response
            except ValidationError as exc:
                if from_queue(request):
                    return JsonResponse({"errors": exc.messages}, status=400)
                return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
            return answer(request, result, holder.get("response"))

        wrapper.offline_kind = kind
        return wrapper

    return decorator


class _NotStored(Exception):
    """The view answered without making a record (its form was invalid): roll back, store no key."""
