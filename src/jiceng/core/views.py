"""Shared view helpers and the audit administrator's view of the trail."""

from __future__ import annotations

from datetime import datetime, time
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from jiceng.core.capabilities import READ_AUDIT

from .models import AuditEvent, EventType, Outcome


def capability_required(capability: str):
    """Log-in required, then the capability; a refusal is a 403 and an audit record."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_capability(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def form_errors_from(form, exc, default_field=None) -> None:
    """Put a service's ValidationError / PermissionDenied on the form, field by field."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else default_field
            for error in errors:
                form.add_error(target, error)
    elif isinstance(exc, ValidationError):
        for error in exc.messages:
            form.add_error(default_field, error)
    else:
        form.add_error(default_field, str(exc) or exc.__class__.__name__)


def _day_bound(value: str, end: bool):
    day = parse_date(value or "")
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def audit_events_filtered(request):
    """The audit records the list's filters select, and the filters (shared with the xlsx export)."""
    filters = {
        "event_type": request.GET.get("event_type", ""),
        "outcome": request.GET.get("outcome", ""),
        "actor": request.GET.get("actor", "").strip(),
        "object": request.GET.get("object", "").strip(),
        "since": request.GET.get("since", ""),
        "until": request.GET.get("until", ""),
    }
    return audit_events_matching(filters), filters


def audit_events_matching(filters: dict):
    """The audit records selected by the list's filters (a background export rebuilds its query from them)."""
    events = AuditEvent.objects.order_by("-seq")
    if filters.get("event_type") in EventType.values:
        events = events.filter(event_type=filters["event_type"])
    if filters.get("outcome") in Outcome.values:
        events = events.filter(outcome=filters["outcome"])
    if filters.get("actor"):
        events = events.filter(actor_name__icontains=filters["actor"])
    if filters.get("object"):
        events = events.filter(object_repr__icontains=filters["object"])
    since, until = _day_bound(filters.get("since", ""), False), _day_bound(filters.get("until", ""), True)
    if since:
        events = events.filter(created_at__gte=since)
    if until:
        events = events.filter(created_at__lte=until)
    return events


@capability_required(READ_AUDIT)
def audit_list(request):
    events, filters = audit_events_filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "filters": filters,
            "event_types": EventType.choices,
            "outcomes": Outcome.choices,
            "querystring": _without_page(request),
        },
    )


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
