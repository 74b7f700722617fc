"""portal's routes: the public lists of standardized offices. No log-in, no scope: the same for everyone."""

from __future__ import annotations

from .kit import PUBLIC, Route


def _published(w) -> dict:
    from api import assessment_states

    return {"pk": assessment_states.published(w.region).campaign_id}


ROUTES = [
    Route("portal:index", PUBLIC),
    Route("portal:campaign", PUBLIC, kwargs=_published),
    Route("portal:campaign_notice", PUBLIC, kwargs=_published),
]
