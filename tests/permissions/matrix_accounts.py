"""accounts' routes: log-in and out, one's own password, and the separated administrators' pages.

Accounts and roles are not unit-scoped: the system administrator manages accounts (MANAGE_ACCOUNTS),
the security administrator assigns roles (ASSIGN_ROLES). Each one is the other's "wrong role"
(三员分立), and business roles, even the city's, hold neither.
"""

from __future__ import annotations

from jiceng.accounts.capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS
from jiceng.core.capabilities import EDIT

from .kit import EMPTY, FORBIDDEN, LOGIN, PUBLIC, Route, county_a_names

_ACCOUNTS = {"scoped": False, "actor": "system_admin", "denied": FORBIDDEN, "lacking": ("no_role", "city_admin"),
             "wrong_role": "security_admin"}
_ROLES = {"scoped": False, "actor": "security_admin", "denied": FORBIDDEN, "lacking": ("no_role", "city_admin"),
          "wrong_role": "system_admin"}


def _users(w):
    from jiceng.accounts.models import User

    return list(User.objects.order_by("pk").values_list("pk", "username", "full_name", "is_active"))


def _memberships(w):
    from jiceng.accounts.models import Membership

    return list(Membership.objects.order_by("pk").values())


def _grant(w) -> dict:
    return {"user": w.users["no_role"].pk, "unit": w.region.office_a2.pk, "role": "office_staff", "reason": "矩阵"}


def _reviewer_password(w) -> str:
    # The in-scope actor of LOGIN routes is county_reviewer; the anonymous POST must not touch anyone's password.
    from jiceng.accounts.models import User

    return User.objects.get(username="county_reviewer").password


def _new_password(w) -> dict:
    from factories import PASSWORD

    return {"old_password": PASSWORD, "new_password": "Matrix#changed2026", "new_password_again": "Matrix#changed2026"}


def _a1_person(w):
    from jiceng.org.models import Staff

    return Staff.objects.filter(unit=w.region.office_a1, active=True).order_by("pk").first()


def _onboarding_state(w):
    from jiceng.core.models import AuditEvent, EventType

    return sorted(AuditEvent.objects.filter(event_type__in=[EventType.ACCOUNT_REQUEST, EventType.ACCOUNT_CREATE,
                                                            EventType.ROLE_GRANT]).values_list("seq", flat=True))


def _requested(w) -> dict:
    """An account request for office A1's first person, made by its county (step 1 of onboarding)."""
    from jiceng.accounts import onboarding

    person = _a1_person(w)
    if not onboarding.pending_requests(w.users["system_admin"]):
        onboarding.accounts_request(actor=w.users["county_reviewer"], staff_ids=[person.pk])
    return {"staff": [person.pk]}


def _proposed(w) -> dict:
    """An onboarded account whose proposed role waits for the security administrator (step 3)."""
    from jiceng.accounts import onboarding

    if not onboarding.pending_proposals(w.users["security_admin"]):
        payload = _requested(w)
        onboarding.accounts_from_requests(actor=w.users["system_admin"], staff_ids=payload["staff"])
    return {"user": [p["user"].pk for p in onboarding.pending_proposals(w.users["security_admin"])]}


ROUTES = [
    # A logged-in user is sent on from the log-in page.
    Route("accounts:login", PUBLIC, ok=(200, 302)),
    # Logging out stores nothing (the session ends).
    Route("accounts:logout", PUBLIC, methods=("post",), payload=lambda w: {}, effect=lambda w: None, changes=False),
    Route("accounts:password_change", LOGIN, methods=("get", "post"), scoped=False, payload=_new_password,
          effect=_reviewer_password),
    Route("accounts:user_list", MANAGE_ACCOUNTS, **_ACCOUNTS),
    Route("accounts:user_create", MANAGE_ACCOUNTS, methods=("get", "post"), effect=_users, **_ACCOUNTS,
          payload=lambda w: {"username": "matrix_new", "full_name": "矩阵", "password": "Matrix#pass2026x"}),
    Route("accounts:user_detail", MANAGE_ACCOUNTS, methods=("get", "post"), effect=_users, **_ACCOUNTS,
          kwargs=lambda w: {"pk": w.users["office_head"].pk},
          payload=lambda w: {"edit-full_name": "矩阵改名", "edit-is_active": "on", "edit-reason": "矩阵"}),
    Route("accounts:membership_list", ASSIGN_ROLES, methods=("get", "post"), payload=_grant, effect=_memberships,
          **_ROLES),
    # The role matrix (roles × capabilities, core.capabilities.matrix()): the security administrator's page.
    Route("accounts:role_matrix", ASSIGN_ROLES, **_ROLES),
    # Onboarding (三员分立): a unit's manager requests accounts from its staff list (scoped: county B's
    # manager sees none of county A's people and cannot request them), the system administrator creates
    # the accounts, the security administrator grants the proposed roles.
    Route("accounts:onboarding_request", EDIT, methods=("get", "post"), denied=FORBIDDEN, outside=EMPTY,
          outside_post=400, secret=county_a_names, wrong_role="office_staff",
          payload=lambda w: {"staff": [_a1_person(w).pk]}, effect=_onboarding_state),
    # (The payloads first make the earlier step's request or account; the effect is what this step makes.)
    Route("accounts:onboarding", MANAGE_ACCOUNTS, methods=("get", "post"), effect=_users, **_ACCOUNTS,
          post_ok=(200,), payload=_requested),
    Route("accounts:onboarding_roles", ASSIGN_ROLES, methods=("get", "post"), effect=_memberships, **_ROLES,
          payload=_proposed),
    Route("accounts:membership_revoke", ASSIGN_ROLES, methods=("post",), effect=_memberships, **_ROLES,
          kwargs=lambda w: {"pk": w.users["office_staff"].memberships.get().pk}, payload=lambda w: {"reason": "矩阵"}),
]
