"""staffing's routes: window posts and absences, workers, sign-in, leave, breaches and trainings.

The objects are county A's: a post at office CA1 (an office's window) with two workers there. The office
head holds staffing.manage over CA1; the head of county B's office holds it elsewhere; office staff of
CA1 hold it nowhere (403). Sign-in and asking for leave are the window staff's own (staffing.attend).
"""

from __future__ import annotations

from datetime import date

from jiceng.staffing.capabilities import ATTEND, MANAGE

from .kit import EMPTY, FORBIDDEN, Route

MANAGED = dict(actor="office_head", wrong_role="office_staff", denied=FORBIDDEN)


def _setup(w):
    def build():
        from factories import make_staff, make_user
        from jiceng.staffing.models import LeaveRequest, WindowPost, Worker

        unit = w.region.office_a1
        a = Worker.objects.create(user=make_user("matrix_a", "window_staff", unit), unit=unit,
                                  staff=make_staff(unit, name="矩阵甲岗", post="window"), work_since=date(2015, 1, 1))
        b = Worker.objects.create(user=make_user("matrix_b", "window_staff", unit), unit=unit,
                                  staff=make_staff(unit, name="矩阵乙岗", post="window"), work_since=date(2015, 1, 1))
        post = WindowPost.objects.create(unit=unit, name="矩阵窗口", holder_a=a, holder_b=b, a_since=date(2025, 1, 1))
        absence = post.absences.create(unit=unit, worker=a, kind="training", starts=date(2026, 1, 5),
                                       ends=date(2026, 1, 6))
        leave = LeaveRequest.objects.create(unit=unit, worker=b, kind="annual", starts=date(2026, 2, 2),
                                            ends=date(2026, 2, 3), reason="矩阵")
        from jiceng.staffing.models import Breach

        breach = Breach.objects.create(unit=unit, worker=b, kind="phone", occurred_on=date(2026, 2, 2),
                                       proposed_measure="warning")
        # The window staff of the test region (township A) signs in and asks for leave for themselves.
        Worker.objects.create(user=w.users["window_staff"], unit=w.region.township_a)
        return {"post": post, "a": a, "b": b, "absence": absence, "leave": leave, "breach": breach}

    return w.once("staffing", build)


def _pk(key):
    return lambda w: {"pk": _setup(w)[key].pk}


def _rows(model_name, **filters):
    def probe(w):
        from django.apps import apps

        _setup(w)
        model = apps.get_model("staffing", model_name)
        return list(model.objects.filter(**filters).order_by("pk").values())

    return probe


def _setup_only(w):
    _setup(w)
    return {}


def _names(w):
    return ["矩阵窗口", "matrix_a", "matrix_b"]


ROUTES = [
    Route("staffing:post_list", MANAGE, kwargs=_setup_only, outside=EMPTY, secret=_names, **MANAGED),
    Route("staffing:post_detail", MANAGE, kwargs=_pk("post"), **MANAGED),
    Route("staffing:post_absent", MANAGE, methods=("post",), kwargs=_pk("post"), **MANAGED,
          payload=lambda w: {"kind": "leave", "starts": "2026-03-02", "ends": "2026-03-04", "note": "矩阵"},
          effect=_rows("Absence")),
    Route("staffing:absence_end", MANAGE, methods=("post",), kwargs=_pk("absence"), **MANAGED,
          payload=lambda w: {}, effect=_rows("Absence")),
    Route("staffing:worker_detail", MANAGE, kwargs=_pk("a"), **MANAGED),
    Route("staffing:training_new", MANAGE, methods=("post",), kwargs=_pk("a"), **MANAGED,
          payload=lambda w: {"title": "矩阵培训", "held_on": "2026-03-02", "hours": "2"}, effect=_rows("Training")),
    Route("staffing:sign_in", ATTEND, methods=("get", "post"), kwargs=_setup_only, actor="window_staff", scoped=False,
          wrong_role="office_staff", denied=FORBIDDEN, payload=lambda w: {"action": "in"}, effect=_rows("SignIn")),
    Route("staffing:leave_list", ATTEND, kwargs=_setup_only, actor="window_staff", scoped=False,
          wrong_role="county_reviewer", denied=FORBIDDEN),
    Route("staffing:leave_new", ATTEND, methods=("post",), kwargs=_setup_only, actor="window_staff", scoped=False,
          wrong_role="office_staff", denied=FORBIDDEN,
          payload=lambda w: {"kind": "annual", "starts": "2026-12-21", "ends": "2026-12-22", "reason": "矩阵"},
          effect=_rows("LeaveRequest")),
    Route("staffing:leave_step", MANAGE, methods=("post",),
          kwargs=lambda w: {"pk": _setup(w)["leave"].pk, "step": "approve"}, **MANAGED,
          payload=lambda w: {"version": _setup(w)["leave"].version}, effect=_rows("LeaveRequest")),
    Route("staffing:breach_list", MANAGE, kwargs=_setup_only, outside=EMPTY, secret=_names, **MANAGED),
    Route("staffing:breach_new", MANAGE, methods=("post",), kwargs=_setup_only, **MANAGED, outside_post=302,
          payload=lambda w: {"worker": _setup(w)["a"].pk, "kind": "late", "occurred_on": "2026-03-02"},
          effect=_rows("Breach")),
    Route("staffing:breach_step", MANAGE, methods=("post",),
          kwargs=lambda w: {"pk": _setup(w)["breach"].pk, "step": "confirm"}, **MANAGED,
          payload=lambda w: {"version": _setup(w)["breach"].version}, effect=_rows("Breach")),
]
