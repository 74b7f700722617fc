"""Onboarding from the staff list (issue 12): accounts in bulk, roles proposed from the posts, 三员分立 kept.

Three steps, by three people, none doing another's part:
1. a unit's manager (EDIT over the staff's unit: the city or county bureau, the office head) chooses
   people of the staff list and requests their accounts; the request carries name, unit, post and the
   role proposed from the post (ROLE_OF_POST), so the administrators read no staff data (their roles
   have no business scope);
2. the system administrator (MANAGE_ACCOUNTS) creates the requested accounts at once, each with a
   one-time password shown once on a printable sheet (to be changed at the first log-in), and grants no
   role;
3. the security administrator (ASSIGN_ROLES) grants the proposed roles in bulk through
   `membership_grant` (its separation-of-duties checks run there), and creates no account.

Requests and proposals live on the audit trail (ACCOUNT_REQUEST, and ACCOUNT_CREATE's
details["onboarding"]), so no table is added.
"""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.capabilities import EDIT, Role
from jiceng.core.models import AuditEvent, EventType
from jiceng.org.models import Post, Staff, Unit

from . import services
from .capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS
from .models import Membership, User

ROLE_OF_POST = {
    Post.HEAD: Role.OFFICE_HEAD,
    Post.DEPUTY_HEAD: Role.OFFICE_HEAD,
    Post.STAFF: Role.OFFICE_STAFF,
    Post.WINDOW: Role.WINDOW_STAFF,
    Post.CHIEF_REPRESENTATIVE: Role.CHIEF_REPRESENTATIVE,
    Post.INSPECTOR: Role.ENFORCEMENT_OFFICER,
    Post.ASSISTANT_INSPECTOR: Role.ENFORCEMENT_OFFICER,
    Post.GRID_WORKER: Role.GRID_WORKER,
    Post.AGENT: Role.VILLAGE_AGENT,
}


def _onboarding_events():
    return AuditEvent.objects.filter(event_type=EventType.ACCOUNT_CREATE, details__has_key="onboarding")


def _requests():
    return AuditEvent.objects.filter(event_type=EventType.ACCOUNT_REQUEST, details__has_key="onboarding")


def _staff_ids(events) -> set[int]:
    return {e["staff"] for e in events.values_list("details__onboarding", flat=True) if e}


def staff_without_account(actor):
    """Step 1, a unit's manager (EDIT over the staff's unit): active people not yet requested or onboarded."""
    return (Staff.objects.restrict(actor, EDIT).filter(active=True)
            .exclude(pk__in=_staff_ids(_requests()) | _staff_ids(_onboarding_events()))
            .select_related("unit").order_by("unit__path", "post", "name"))


@transaction.atomic
def accounts_request(*, actor, staff_ids: list[int]) -> int:
    """Step 1: ask for accounts for the chosen people (all or nothing); the request carries what the system
    administrator needs (name, unit, post, proposed role), so the administrator reads no staff data."""
    if not staff_ids:
        raise ValidationError({"staff": _("Choose at least one person.")})
    chosen = {s.pk: s for s in staff_without_account(actor).filter(pk__in=staff_ids)}
    if len(chosen) != len(set(staff_ids)):
        raise ValidationError({"staff": _("%(n)s of the chosen people are outside your scope or already have an "
                                          "account; nothing was requested.")
                               % {"n": len(set(staff_ids)) - len(chosen)}})
    for pk in staff_ids:
        staff = chosen[pk]
        audit.record(EventType.ACCOUNT_REQUEST, actor=actor, subject=staff, unit=staff.unit,
                     details={"onboarding": {"staff": staff.pk, "name": staff.name, "unit": staff.unit.code,
                                             "unit_name": staff.unit.name, "post": staff.post,
                                             "role": ROLE_OF_POST.get(staff.post, "")}})
    return len(chosen)


def pending_requests(actor) -> list[dict]:
    """Step 2, the system administrator: requested accounts not created yet, oldest first."""
    if not actor.has_capability(MANAGE_ACCOUNTS):
        raise PermissionDenied(_("Your role does not allow this."))
    done = _staff_ids(_onboarding_events())
    out, seen = [], set()
    for details in _requests().order_by("seq").values_list("details__onboarding", flat=True):
        if details["staff"] in done or details["staff"] in seen:
            continue
        seen.add(details["staff"])
        out.append({**details, "role_label": Membership(role=details["role"]).get_role_display()
                    if details["role"] else "",
                    "post_label": str(Post(details["post"]).label) if details["post"] in Post.values
                    else details["post"]})
    return out


def one_time_password() -> str:
    """A random password of 12 characters with upper and lower letters, digits and a sign."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(9))
        password = secrets.choice(string.ascii_uppercase) + body + "#" + secrets.choice(string.digits)
        try:
            validate_password(password)
        except ValidationError:
            continue
        return password


@transaction.atomic
def accounts_from_requests(*, actor, staff_ids: list[int]) -> list[dict]:
    """Step 2: create one account per chosen request (all or nothing): [{user, password, name, unit_name, role}].

    The passwords are returned once, for the printable sheet; only their hashes are stored.
    """
    if not actor.has_capability(MANAGE_ACCOUNTS):
        raise PermissionDenied(_("Your role does not allow this."))
    if not staff_ids:
        raise ValidationError({"staff": _("Choose at least one person.")})
    pending = {r["staff"]: r for r in pending_requests(actor)}
    if any(pk not in pending for pk in staff_ids):
        raise ValidationError({"staff": _("Some of the chosen requests are already done; nothing was created.")})
    sheet = []
    for pk in staff_ids:
        request = pending[pk]
        username = f"{request['unit']}-{pk}".lower()
        if User.objects.filter(username=username).exists():
            raise ValidationError({"staff": _("An account named %(name)s already exists; nothing was created.")
                                   % {"name": username}})
        password = one_time_password()
        user = User(username=username, full_name=request["name"], must_change_password=True)
        user.set_password(password)
        user.full_clean()
        user.save()
        audit.record(EventType.ACCOUNT_CREATE, actor=actor, subject=user,
                     after=audit.snapshot(user, ["username", "full_name", "is_active", "must_change_password"]),
                     details={"onboarding": {"staff": pk, "unit": request["unit"], "role": request["role"]}})
        sheet.append({**request, "user": user, "password": password})
    return sheet


def pending_proposals(actor) -> list[dict]:
    """For the security administrator: onboarded accounts whose proposed role is not granted yet."""
    if not actor.has_capability(ASSIGN_ROLES):
        raise PermissionDenied(_("Your role does not allow this."))
    events = list(_onboarding_events().values_list("object_id", "details"))
    users = User.objects.in_bulk([int(pk) for pk, _d in events if pk])
    units = Unit.objects.in_bulk([d["onboarding"]["unit"] for _pk, d in events], field_name="code")
    granted = set(Membership.objects.filter(user__in=users.values()).values_list("user_id", "unit__code", "role"))
    out = []
    for pk, details in events:
        proposal = details["onboarding"]
        user, unit = users.get(int(pk)), units.get(proposal["unit"])
        if user is None or unit is None or not proposal["role"] or not user.is_active:
            continue
        if (user.pk, unit.code, proposal["role"]) in granted:
            continue
        out.append({"user": user, "unit": unit, "role": proposal["role"],
                    "role_label": Membership(role=proposal["role"]).get_role_display()})
    return out


@transaction.atomic
def grant_proposals(*, actor, user_ids: list[int]) -> int:
    """Grant the proposed roles of the chosen accounts (all or nothing), each through membership_grant."""
    wanted = set(user_ids)
    proposals = [p for p in pending_proposals(actor) if p["user"].pk in wanted]
    if not proposals:
        raise ValidationError({"users": _("Choose at least one proposed role to grant.")})
    for p in proposals:
        services.membership_grant(actor=actor, user=p["user"], unit=p["unit"], role=p["role"],
                                  reason=_("Onboarding: role proposed from the post in the staff list."))
    return len(proposals)
