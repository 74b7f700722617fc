"""The one scoping mechanism: every query of unit data goes through here.

A user is a member of units with roles (accounts.Membership). A role grants
actions ("view", "edit", ...). A record is visible to a user when the unit it
belongs to lies in the subtree of a unit where the user holds a role granting
"view"; editable likewise with "edit". Subtrees are materialised paths, so the
check is one indexed `path LIKE 'prefix%'` per membership, on SQLite and
PostgreSQL alike.

Models opt in by using `ScopedQuerySet` (or `ScopedManager`) and naming the
lookup to their unit's path in `scope_path_lookup` ("path" for the unit itself,
"unit__path" for records owned by a unit).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.http import Http404

VIEW = "view"
EDIT = "edit"


def scope_q(user, action: str, lookup: str) -> Q | None:
    """A Q restricting `lookup` (a path) to the user's subtrees for `action`, or None for nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    paths = user.scope_paths(action)
    if not paths:
        return None
    q = Q()
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def holds(user, action: str, unit) -> bool:
    """Whether `unit` lies in one of the user's subtrees for `action` (a single check, no query).

    The in-memory twin of `scope_q`, for a unit already in hand: the same memberships and the same
    materialised-path prefix rule, so the two can never disagree.
    """
    if unit is None or user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(unit.path.startswith(path) for path in user.scope_paths(action))


class ScopedQuerySet(models.QuerySet):
    def _restrict(self, user, action: str):
        lookup = self.model.scope_path_lookup
        q = scope_q(user, action, lookup)
        if q is None:
            return self.none()
        return self.filter(q)

    def visible_to(self, user):
        """Records in the subtrees where the user may view business data."""
        return self._restrict(user, VIEW)

    def editable_by(self, user):
        """Records in the subtrees where the user may change business data."""
        return self._restrict(user, EDIT)


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
    restricted = queryset.visible_to(user) if action == VIEW else queryset.editable_by(user)
    return get_allowed_or_404(restricted, queryset, user, action, **lookup)


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
    from .audit import record_now
    from .models import EventType, Outcome

    record_now(EventType.ACCESS_DENIED, outcome=Outcome.DENIED, **refusal)


def ensure_refusal_recorded(refusal: dict) -> None:
    """After the transaction: write the refusal again if its record was rolled back."""
    from .models import AuditEvent, EventType

    token = refusal["details"]["refusal"]
    if not AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, details__refusal=token).exists():
        _record_refusal(refusal)


def assert_in_scope(obj, user, action: str = EDIT) -> None:
    """Re-check after a write, inside the transaction: the record must still be in scope.

    Raises Http404 so that the caller's transaction rolls back; a user cannot
    move a record out of their own subtree.
    """
    manager = type(obj)._default_manager
    restricted = manager.all().visible_to(user) if action == VIEW else manager.all().editable_by(user)
    if not restricted.filter(pk=obj.pk).exists():
        raise Http404
