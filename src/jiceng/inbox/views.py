"""The inbox page and its "mark read" actions (thin: inbox.selectors and inbox.services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
