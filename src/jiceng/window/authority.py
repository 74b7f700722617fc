"""Chief representatives' authority (首席代表授权, seed 002): who may decide at a unit."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .models import Authorisation, Power


def valid_authorisations(user, unit, on: date):
    """The user's authorisations recorded at ``unit`` (the centre or window) in force on ``on``."""
    return (Authorisation.objects.filter(user=user, unit=unit, revoked_at__isnull=True,
                                         valid_from__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on)))


def may_decide(user, unit, on: date) -> bool:
    return any(Power.DECIDE in a.powers for a in valid_authorisations(user, unit, on))
