"""A small grid world on the shared region: village A with two grids (AB partners), their workers, a director
and the township's grid administrator, a few households and residents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from factories import UnitFactory, make_user
from jiceng.core import pii


def id_number(n: int, born: str = "19500101") -> str:
    body = f"640181{born}{n:03d}"
    return body + pii.id_check_digit(body)


@dataclass
class GridWorld:
    region: object
    grid_a: object
    grid_b: object
    worker_a: object
    worker_b: object
    user_a: object
    user_b: object
    director: object
    admin: object
    city_admin: object
    profile_a: object
    profile_b: object
    elderly: object
    disabled: object
    released: object
    ordinary: object
    other_resident: object


@pytest.fixture
def gw(region, users) -> GridWorld:
    return build_world(region, users)


def build_world(region, users) -> GridWorld:
    from jiceng.grid.models import Household
    from jiceng.grid.services import grids as gs
    from jiceng.grid.services import residents as rs

    grid_b = UnitFactory(parent=region.village_a, kind="grid", name="甲村第2网格", code="CATVH")
    user_a = users["grid_worker"]
    user_b = make_user("grid_worker_b", "grid_worker", grid_b)
    director = make_user("director", "community_director", region.village_a)
    admin = make_user("grid_admin", "grid_admin", region.township_a)
    city_admin = users["city_admin"]
    pa = gs.save_profile(actor=admin, unit=region.grid_a, area="rural", duties="巡查、走访")
    pb = gs.save_profile(actor=admin, unit=grid_b, area="rural")
    gs.pair(actor=admin, a=pa, b=pb)
    wa, _ = gs.appoint(actor=admin, unit=region.grid_a, name="王网格", appointment="group_leader", user=user_a,
                       work_phone="13900001111", term_end=date(2027, 12, 31))
    wb, _ = gs.appoint(actor=admin, unit=grid_b, name="李网格", appointment="group_leader", user=user_b,
                       term_end=date(2027, 12, 31))
    h1 = Household.objects.create(unit=region.grid_a, address="一组1号", head_name="赵一")
    h2 = Household.objects.create(unit=region.grid_a, address="一组2号", head_name="钱二")
    h3 = Household.objects.create(unit=grid_b, address="二组1号", head_name="孙三")
    elderly = rs.add_resident(actor=admin, household=h1, name="赵一", id_number=id_number(1), phone="13800000001",
                              categories=["alone_elderly", "disabled"])
    disabled = rs.add_resident(actor=admin, household=h1, name="赵二", id_number=id_number(2),
                               categories=["disabled"])
    released = rs.add_resident(actor=admin, household=h2, name="钱二", id_number=id_number(3),
                               categories=["released"])
    ordinary = rs.add_resident(actor=admin, household=h2, name="钱三", id_number=id_number(4))
    other = rs.add_resident(actor=admin, household=h3, name="孙三", id_number=id_number(5), categories=["orphan"])
    return GridWorld(region, region.grid_a, grid_b, wa, wb, user_a, user_b, director, admin, city_admin, pa, pb,
                     elderly, disabled, released, ordinary, other)
