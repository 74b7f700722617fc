"""Account and role writes: each one transaction with its audit record."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.capabilities import SEPARATED_ADMIN_ROLES, Role, conflicts
from jiceng.core.models import EventType

from .capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS
from .models import Membership, User

_ACCOUNT_FIELDS = ["username", "full_name", "email", "is_active", "must_change_password"]


def _refuse_other_administrator(actor: User, user: User) -> None:
    # 三员分立: if the system administrator could reset the audit or security
    # administrator's password, they could log in as them and the separation
    # would be void. Those accounts are managed on the server
    # (`jiceng changepassword`), where the act needs operating-system access.
    if user.pk != actor.pk and set(user.memberships.values_list("role", flat=True)) & SEPARATED_ADMIN_ROLES:
        raise PermissionDenied(_("The accounts of the three separated administrators are managed on the server."))


def _require(actor: User, capability: str) -> None:
    if not actor.has_capability(capability):
        raise PermissionDenied(_("Your role does not allow this."))


@transaction.atomic
def user_create(
    *, actor: User | None, username: str, full_name: str, password: str, email: str = "", must_change_password=True
) -> User:
    """Create an account. `actor=None` only for the command line (`jiceng createuser`)."""
    if actor is not None:
        _require(actor, MANAGE_ACCOUNTS)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("An account with this user name already exists.")})
    user = User(username=username, full_name=full_name, email=email, must_change_password=must_change_password)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(
        EventType.ACCOUNT_CREATE,
        actor=actor,
        actor_name=None if actor else "cli",
        subject=user,
        after=audit.snapshot(user, _ACCOUNT_FIELDS),
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, reason: str = "", **changes) -> User:
    _require(actor, MANAGE_ACCOUNTS)
    _refuse_other_administrator(actor, user)
    unknown = set(changes) - {"full_name", "email", "is_active"}
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} here")
    if user == actor and changes.get("is_active") is False:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    before = audit.snapshot(user, _ACCOUNT_FIELDS)
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=list(changes))
    old, new = audit.diff(before, audit.snapshot(user, _ACCOUNT_FIELDS))
    audit.record(EventType.ACCOUNT_UPDATE, actor=actor, subject=user, before=old, after=new, reason=reason)
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user: User, password: str, reason: str = "") -> User:
    """An administrator sets a temporary password; the user must change it at next log-in."""
    _require(actor, MANAGE_ACCOUNTS)
    _refuse_other_administrator(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(
        EventType.PASSWORD_CHANGE, actor=actor, subject=user, reason=reason, details={"by": "administrator"}
    )
    return user


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    if old_password == new_password:
        raise ValidationError({"new_password": _("The new password must differ from the current one.")})
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(EventType.PASSWORD_CHANGE, actor=user, subject=user, details={"by": "self"})
    return user


@transaction.atomic
def membership_grant(*, actor: User | None, user: User, unit, role: str, reason: str = "") -> Membership:
    """Give `user` a role in `unit`. The three separated administrators never share a person."""
    if actor is not None:
        _require(actor, ASSIGN_ROLES)
        if actor.pk == user.pk:
            raise PermissionDenied(_("You cannot change your own roles."))
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    existing = set(user.memberships.values_list("role", flat=True))
    clash = conflicts(existing, role)
    if clash:
        raise ValidationError(
            {"role": _("This role cannot be held together with the user's role “%(role)s” (separation of duties).")
             % {"role": Membership(role=clash).get_role_display()}}
        )
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit.record(
            EventType.ROLE_GRANT,
            actor=actor,
            actor_name=None if actor else "cli",
            subject=user,
            unit=unit,
            after={"role": role, "unit": unit.code},
            reason=reason,
        )
    user.__dict__.pop("active_memberships", None)
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership, reason: str = "") -> None:
    _require(actor, ASSIGN_ROLES)
    if actor.pk == membership.user_id:
        raise PermissionDenied(_("You cannot change your own roles."))
    user, unit = membership.user, membership.unit
    before = {"role": membership.role, "unit": unit.code}
    membership.delete()
    audit.record(EventType.ROLE_REVOKE, actor=actor, subject=user, unit=unit, before=before, reason=reason)
    user.__dict__.pop("active_memberships", None)
