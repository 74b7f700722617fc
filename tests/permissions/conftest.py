"""Fixtures of the permission matrix: the shared region and users, plus holders of each capability elsewhere."""

from __future__ import annotations

import pytest

from factories import CityFactory, make_user

from .kit import World


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Evidence and veto files the entries upload stay in this test's directory.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(region, users) -> World:
    """tests/conftest.py's region and users, and a city administrator of another city (an outsider who
    holds the city's capabilities: publishing, auditing, structure) and a reviewer of county B."""
    other_city = CityFactory(name="另一市局", code="X")
    extra = {
        "other_city_admin": make_user("other_city_admin", "city_admin", other_city),
        # A reviewer of county B: holds REVIEW, but not over county A's offices.
        "other_county_reviewer": make_user("other_county_reviewer", "county_reviewer", region.county_b),
    }
    return World(region=region, users={**users, **extra})
