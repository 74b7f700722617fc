"""The window's resolver for AB posts (registered in window.routing from StaffingConfig.ready())."""

from __future__ import annotations


def ab_post_handler(unit, item, received_by):
    """While the receiver is an absent A holder, their B holder handles the new case (None: no change)."""
    from . import services

    if received_by is None:
        return None
    return services.substitute_for(received_by, services.local_today(), unit)
