"""The inbox page and its "mark read" actions (thin: inbox.selectors and inbox.services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.org import selectors as org_selectors

from . import selectors, services


@login_required
def inbox(request):
    items = selectors.inbox_items(request.user)
    return render(request, "inbox/inbox.html", {"items": items, "unread": sum(1 for i in items if i.unread)})


@require_POST
@login_required
def mark_read(request):
    """Mark the posted keys read (one item, or "all" for every item shown), then go back or open the item."""
    if request.POST.get("all"):
        keys = [i.key for i in selectors.inbox_items(request.user)]
    else:
        keys = request.POST.getlist("key")
    count = services.mark_read(user=request.user, keys=keys)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("inbox:inbox")


@login_required
def home(request):
    """The home page: the user's to-do list (every inbox source, grouped), then the office standards."""
    offices = [
        {"unit": office, "lines": lines, "failed": sum(1 for line in lines if line.status == "fail")}
        for office, lines in org_selectors.offices_with_standards(request.user)
    ]
    groups = selectors.todo(request.user, timezone.localdate())
    titles = {
        "overdue": _("Overdue"),
        "returned": _("Returned to you"),
        "due": _("Due"),
        "waiting": _("Waiting for your review, audit or publication"),
        "news": _("News"),
    }
    return render(request, "inbox/home.html", {
        "memberships": request.user.active_memberships,
        "groups": [{"name": name, "title": titles[name], "items": items} for name, items in groups.items() if items],
        "todo_count": sum(len(items) for name, items in groups.items() if name != "news"),
        "offices": offices,
        "offices_passing": sum(1 for o in offices if o["failed"] == 0),
    })
