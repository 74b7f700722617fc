"""Refusals: the one audited 404 for a record that exists outside the user's share.

`core.scoping` decides what a user may read (querysets and in-memory checks);
this module turns "not yours" into the same 404 as "not found" and records the
refusal in the audit trail. It sits above `core.audit` and `core.models`, so
that `core.models` can build on `core.scoping` without a circle.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from .audit import record_now
from .models import AuditEvent, EventType, Outcome
from .scoping import VIEW


class OutOfScope(Http404):
    """A 404 for an object that exists outside the user's scope.

    The refusal is recorded at once, but inside a service's transaction that
    record rolls back with the 404. The exception therefore carries the
    refusal, and whoever handles it after the transaction
    (PermissionRefusalMiddleware, the API's error handler) calls
    `ensure_refusal_recorded`, which writes it again if it did not survive.
    """

    def __init__(self, refusal: dict):
        super().__init__()
        self.refusal = refusal


def get_scoped_or_404(queryset, user, action: str = VIEW, **lookup):
    """One object within the user's scope; the same 404 for "not found" and "not yours"."""
    return get_allowed_or_404(queryset.restrict(user, action), queryset, user, action, **lookup)


def get_allowed_or_404(allowed, queryset, user, action: str, **lookup):
    """One object of `allowed` (the user's share of `queryset`, however narrowed: a scope, a workflow
    stage, an owner); the same 404 for "not found" and "not allowed", the latter recorded as a refusal
    of `action` (and recorded again after a rolled-back transaction, see `ensure_refusal_recorded`)."""
    obj = allowed.filter(**lookup).first()
    if obj is not None:
        return obj
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    refusal = {"actor": user, "subject": obj, "details": {"action": action, "refusal": uuid.uuid4().hex}}
    _record_refusal(refusal)
    raise OutOfScope(refusal)


def _record_refusal(refusal: dict) -> None:
    record_now(EventType.ACCESS_DENIED, outcome=Outcome.DENIED, **refusal)


def ensure_refusal_recorded(refusal: dict) -> None:
    """After the transaction: write the refusal again if its record was rolled back."""
    token = refusal["details"]["refusal"]
    if not AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, details__refusal=token).exists():
        _record_refusal(refusal)
