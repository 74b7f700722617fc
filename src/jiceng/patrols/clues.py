"""A finding becomes a clue (违法线索) in the enforcement app, in one step."""

from __future__ import annotations


def register_clue(*, actor, finding):
    """Register `finding` as a clue of source 动态巡查 (enforcement.services.clue_register); returns the clue.

    The clue carries the finding's point, place and photo, and `source_ref` names the patrol and finding.
    """
    from jiceng.enforcement.models import ClueSource
    from jiceng.enforcement.services import clue_register

    return clue_register(
        actor=actor, unit=finding.unit, source=ClueSource.PATROL, description=finding.description,
        location=finding.location, place=finding.place or (finding.patrol.area.name if finding.patrol.area_id else ""),
        photos=[finding.photo] if finding.photo_id else [],
        source_ref=f"patrol:{finding.patrol_id}/finding:{finding.pk}",
    )
