"""enforcement's routes: the clue and case ledgers (county A's office CA1) and the public disclosure pages."""

from __future__ import annotations

from .kit import PUBLIC, Route


def _published(w) -> dict:
    from enforcement.builders import published_case

    return {"pk": w.once("published_case", lambda: published_case(w.region.office_a1)).pk}


ROUTES = [
    Route("enforcement_public:disclosure_list", PUBLIC),
    Route("enforcement_public:disclosure_detail", PUBLIC, kwargs=_published),
]
