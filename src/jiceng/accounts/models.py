"""User accounts and their memberships of units with a role."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from jiceng.core.capabilities import BUSINESS_ROLES, Role, grants


class User(AbstractUser):
    """An account. What it may see comes only from its memberships (no superuser shortcut).

    `full_name` replaces Django's first/last name pair, which does not fit
    Chinese names. `must_change_password` is set for accounts an administrator
    creates or resets; `password_changed_at` drives rotation.
    """

    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username

    @cached_property
    def active_memberships(self) -> list[Membership]:
        return list(self.memberships.select_related("unit").order_by("unit__path"))

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships}

    def has_capability(self, action: str) -> bool:
        return any(grants(m.role, action) for m in self.active_memberships)

    def scope_paths(self, action: str) -> list[str]:
        """Paths of the subtrees where a business role grants `action` (core.scoping)."""
        paths = sorted({m.unit.path for m in self.active_memberships if m.role in BUSINESS_ROLES and grants(m.role, action)})
        # Drop a path that lies under another: the outer one already covers it.
        kept: list[str] = []
        for path in paths:
            if not any(path.startswith(outer) for outer in kept):
                kept.append(path)
        return kept

    def password_expired(self, now=None) -> bool:
        days = settings.PASSWORD_MAX_AGE_DAYS
        if not days or self.password_changed_at is None:
            return False
        return (now or timezone.now()) - self.password_changed_at > timedelta(days=days)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class Membership(models.Model):
    """A user's role in a unit; the role applies to the unit and everything below it."""

    scope_path_lookup = "unit__path"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
