"""grid's routes: the worker's home, residents (masked, audited), the log, sign-off, grading, dismissals,
the resident import and the public notice.

The objects are built by `_setup`: tests/grid/conftest.py's two grids of village A (worker A is the shared
`grid_worker`), a director of village A, the township A grid administrator, and outsiders holding the same
capabilities elsewhere: the worker of grid B, the director of another village of township A and the grid
administrator of a township of county B.
"""

from __future__ import annotations

from .kit import EMPTY, FORBIDDEN, LOGIN, PUBLIC, Route


def _setup(w):
    def build():
        from datetime import date

        from factories import UnitFactory, make_user
        from grid.conftest import build_world
        from jiceng.grid.services import surveys

        world = build_world(w.region, w.users)
        other_village = UnitFactory(parent=w.region.township_a, kind="village", name="丙村", code="CATX")
        township_b = UnitFactory(parent=w.region.county_b, kind="township", name="乙镇", code="CBT")
        w.users.update({
            "grid_admin": world.admin, "director": world.director, "grid_worker_b": world.user_b,
            "other_director": make_user("other_director", "community_director", other_village),
            "other_grid_admin": make_user("other_grid_admin", "grid_admin", township_b),
        })
        for worker, tag in ((world.worker_a, "ma"), (world.worker_b, "mb")):
            survey = surveys.draw(actor=None, worker=worker, period="2026-Q3", size=1, seed=tag)
            surveys.answer(actor=None, survey=survey, resident_id=survey.drawn[0], satisfied=True)
        world.today = date.today()
        return world

    return w.once("grid", build)


def _none(w) -> dict:
    _setup(w)
    return {}


def _elderly(w) -> dict:
    return {"pk": _setup(w).elderly.pk}


def _worker_a(w) -> dict:
    return {"pk": _setup(w).worker_a.pk}


def _township(w) -> dict:
    _setup(w)
    return {"pk": w.region.township_a.pk}


def _notice(w) -> dict:
    return {"code": _setup(w).grid_a.code}


def _names(w) -> list[str]:
    g = _setup(w)
    return [g.elderly.name, g.disabled.name]


def _phone(w) -> list[str]:
    return ["13800000001"]


def _unmasks(w):
    from jiceng.core.models import AuditEvent, EventType

    return AuditEvent.objects.filter(event_type=EventType.UNMASK).count()


def _entries(w):
    from jiceng.grid.models import LogEntry

    return LogEntry.objects.filter(unit=_setup(w).grid_a).count()


def _entry_payload(w):
    g = _setup(w)
    return {"grid": g.grid_a.pk, "kind": "patrol", "found": "矩阵巡查", "day": g.today.isoformat()}


def _signoffs(w):
    from jiceng.grid.models import Signoff

    return Signoff.objects.count()


def _sign_payload(w):
    from datetime import timedelta

    return {"kind": "week", "day": (_setup(w).today - timedelta(days=7)).isoformat()}


def _grades(w):
    from jiceng.grid.models import Grade

    return Grade.objects.count()


def _case(w) -> dict:
    from jiceng.grid.services import dismissal

    g = _setup(w)
    case = w.once("case", lambda: dismissal.raise_case(actor=g.director, worker=g.worker_a, ground="4",
                                                       evidence="矩阵"))
    return {"pk": case.pk}


ROUTES = [
    Route("grid:home", LOGIN, scoped=False, kwargs=_none, actor="grid_worker"),
    Route("grid:resident_list", "view", kwargs=_none, actor="grid_worker", outsider="grid_worker_b",
          denied=EMPTY, outside=EMPTY, secret=_names),
    Route("grid:resident_detail", "view", kwargs=_elderly, actor="grid_worker", outsider="grid_worker_b"),
    Route("grid:resident_unmask", "grid.unmask", methods=("post",), kwargs=_elderly, actor="grid_admin",
          outsider="other_grid_admin", wrong_role="grid_worker", wrong_status=FORBIDDEN, post_ok=(200,),
          payload=lambda w: {"field": "phone", "reason": "矩阵核对"}, effect=_unmasks, secret=_phone),
    Route("grid:resident_export", "grid.export", kwargs=_none, actor="director", outsider="other_grid_admin",
          denied=FORBIDDEN, outside=EMPTY, wrong_role="grid_worker"),
    Route("grid:log_entry", "grid.record", methods=("get", "post"), kwargs=_none, actor="grid_worker",
          outsider="grid_worker_b", denied=FORBIDDEN, outside=EMPTY, outside_post=200,
          payload=_entry_payload, effect=_entries, wrong_role="director"),
    Route("grid:worker_log", "view", kwargs=_worker_a, actor="director", outsider="grid_worker_b"),
    Route("grid:sign_off", "grid.sign_off", methods=("post",), kwargs=_worker_a, actor="director",
          outsider="other_director", payload=_sign_payload, effect=_signoffs, wrong_role="grid_worker"),
    Route("grid:grade_quarter", "grid.grade_quarter", methods=("get", "post"), kwargs=_township,
          actor="grid_admin", outsider="other_grid_admin", wrong_role="director",
          payload=lambda w: {"period": "2026-Q3"}, effect=_grades),
    Route("grid:dismissal", "view", kwargs=_case, actor="grid_admin", outsider="other_grid_admin"),
    Route("grid:import_grid_residents", "grid.manage", scoped=False, kwargs=_none, actor="grid_admin",
          denied=FORBIDDEN, wrong_role="director"),
    Route("grid:import_template_grid_residents", "grid.manage", scoped=False, kwargs=_none, actor="grid_admin",
          denied=FORBIDDEN, wrong_role="director"),
    Route("grid:import_errors", LOGIN, scoped=False, ok=(404,)),
    Route("grid_public:notice", PUBLIC, kwargs=_notice),
    Route("grid_public:poster", PUBLIC, kwargs=_notice),
]
