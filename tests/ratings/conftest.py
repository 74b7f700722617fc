"""A service centre with a window, its people and an item (see cases.py for the cases)."""

from __future__ import annotations

import pytest

from factories import UnitFactory, make_user

from .cases import at, authorise, finish, make_item, received  # noqa: F401  (the tests import them from here)


@pytest.fixture
def centre(region):
    return UnitFactory(parent=region.township_a, kind="service_centre", name="甲镇便民服务中心", code="CATS")


@pytest.fixture
def people(centre, region):
    people = {
        "window": make_user("w_clerk", "window_staff", centre),
        "window2": make_user("w_clerk2", "window_staff", centre),
        "back": make_user("w_back", "back_office_reviewer", centre),
        "chief": make_user("w_chief", "chief_representative", centre),
        "head": make_user("w_head", "centre_head", centre),
        "outsider": make_user("w_out", "window_staff", region.office_b1),
    }
    authorise(centre, people["chief"], people["head"])
    return people


@pytest.fixture
def item(centre, people):
    return make_item(centre, people["head"])


@pytest.fixture
def ended_case(centre, people, item):
    return finish(received(centre, people, item), people)
