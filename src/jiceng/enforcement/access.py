"""What every enforcement service shares: the scope check and today's date."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.scoping import holds


def require(actor, action: str, unit) -> None:
    """Refuse unless `actor` holds `action` over `unit` (naming the unit)."""
    if not holds(actor, action, unit):
        raise PermissionDenied(_("Your role does not allow this for %(unit)s.") % {"unit": unit.name})


def today():
    return timezone.localdate()
