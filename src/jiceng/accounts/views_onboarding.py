"""Onboarding pages (thin: accounts.onboarding): a unit manager's request from the staff list, the system
administrator's accounts with a printable sheet of one-time passwords, the security administrator's roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jiceng.core.capabilities import EDIT, Role
from jiceng.core.views import capability_required

from . import onboarding
from .capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS


def _ids(request, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@capability_required(EDIT)
def request_accounts(request):
    """Step 1 (a unit's manager): choose people of the staff list and request their accounts."""
    errors = []
    if request.method == "POST":
        try:
            n = onboarding.accounts_request(actor=request.user, staff_ids=_ids(request, "staff"))
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(n)s accounts requested from the system administrator.") % {"n": n})
            return redirect("accounts:onboarding_request")
    people = list(onboarding.staff_without_account(request.user)[:500])
    labels = dict(Role.choices)
    for person in people:
        person.proposed = labels.get(onboarding.ROLE_OF_POST.get(person.post, ""), "")
    return render(request, "accounts/onboarding_request.html", {"people": people, "errors": errors},
                  status=400 if errors else 200)


@never_cache
@capability_required(MANAGE_ACCOUNTS)
def accounts_from_requests(request):
    """Step 2 (the system administrator): the requested accounts; POST creates them and shows the sheet once."""
    errors = []
    if request.method == "POST":
        try:
            sheet = onboarding.accounts_from_requests(actor=request.user, staff_ids=_ids(request, "staff"))
        except ValidationError as exc:
            errors = exc.messages
        else:
            # Shown once, never stored in clear: the page is the printable sheet (not a redirect), not cached.
            return render(request, "accounts/onboarding_sheet.html", {"sheet": sheet, "at": timezone.localtime()})
    return render(request, "accounts/onboarding.html",
                  {"requests": onboarding.pending_requests(request.user), "errors": errors},
                  status=400 if errors else 200)


@capability_required(ASSIGN_ROLES)
def grant_proposed_roles(request):
    """GET: the roles proposed for onboarded accounts; POST: grant the chosen ones."""
    errors = []
    if request.method == "POST":
        try:
            n = onboarding.grant_proposals(actor=request.user, user_ids=_ids(request, "user"))
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(n)s roles granted.") % {"n": n})
            return redirect("accounts:onboarding_roles")
    return render(request, "accounts/onboarding_roles.html",
                  {"proposals": onboarding.pending_proposals(request.user), "errors": errors},
                  status=400 if errors else 200)
