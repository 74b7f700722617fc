"""accounts' routes: log-in and out, one's own password, and the separated administrators' pages.

Accounts and roles are not unit-scoped: the system administrator manages accounts (MANAGE_ACCOUNTS),
the security administrator assigns roles (ASSIGN_ROLES). Each one is the other's "wrong role"
(三员分立), and business roles, even the city's, hold neither.
"""

from __future__ import annotations

from jiceng.accounts.capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS

from .kit import FORBIDDEN, LOGIN, PUBLIC, Route

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
    Route("accounts:membership_revoke", ASSIGN_ROLES, methods=("post",), effect=_memberships, **_ROLES,
          kwargs=lambda w: {"pk": w.users["office_staff"].memberships.get().pk}, payload=lambda w: {"reason": "矩阵"}),
]
