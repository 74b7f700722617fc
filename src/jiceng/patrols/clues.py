"""A finding becomes a clue (违法线索) in the enforcement app, in one step."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def register_clue(*, actor, finding):
    """Register `finding` as a clue of source 动态巡查 (enforcement.services.clue_register); returns the clue."""
    try:
        from jiceng.enforcement.services import clue_register
    except ImportError:
        raise ValidationError(_("The clue register is not available yet."))
    return clue_register(
        actor=actor, unit=finding.unit, source="patrol", description=finding.description,
        location=finding.location, place=finding.place, found_on=finding.patrol.patrol_date,
        photos=[finding.photo] if finding.photo_id else [],
    )
