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
    holds the city's capabilities: publishing, auditing, structure)."""
    other_city = CityFactory(name="另一市局", code="X")
    extra = {"other_city_admin": make_user("other_city_admin", "city_admin", other_city)}
    return World(region=region, users={**users, **extra})
