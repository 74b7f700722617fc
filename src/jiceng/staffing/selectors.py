"""Every read of staffing data goes through `restrict(user, action)`."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q

from jiceng.core.capabilities import VIEW

from . import eligibility
from .capabilities import MANAGE
from .models import Absence, Breach, BreachState, LeaveRequest, LeaveState, Training, WindowPost, Worker

MIN_TRAININGS_A_YEAR = 2


def facts_of(worker: Worker, post_since: date | None = None) -> eligibility.Facts:
    from jiceng.core import pii

    staff = worker.staff
    birth = staff.birth_date if staff else None
    if birth is None and staff is not None and staff.id_number:
        try:
            birth = pii.birth_date_of(staff.id_number)
        except (ValueError, TypeError):
            birth = None
    return eligibility.Facts(kind=worker.kind, birth_date=birth, education=staff.education if staff else "",
                             work_since=worker.work_since or (staff.post_start if staff else None),
                             post_since=post_since, two_committees=worker.two_committees)


def worker_warnings(worker: Worker, today: date) -> list[eligibility.Warning]:
    since = min((p.a_since for p in worker.posts_a.all()), default=None)
    return eligibility.warnings(facts_of(worker, since), today)


def post_warnings(post: WindowPost, today: date) -> dict[str, list[eligibility.Warning]]:
    return {
        "a": eligibility.warnings(facts_of(post.holder_a, post.a_since), today),
        "b": eligibility.warnings(facts_of(post.holder_b, post.b_since), today),
    }


def all_posts():
    """Unscoped, for `get_scoped_or_404` (which scopes it and records a refusal)."""
    open_absences = Prefetch("absences", queryset=Absence.objects.filter(returned_at__isnull=True).order_by("starts"))
    return (WindowPost.objects.select_related("unit", "holder_a__user", "holder_a__staff", "holder_b__user",
                                              "holder_b__staff").prefetch_related(open_absences))


def posts(user, action: str = VIEW):
    return all_posts().restrict(user, action)


def all_workers():
    return Worker.objects.select_related("unit", "user", "staff").prefetch_related("posts_a")


def workers(user, action: str = VIEW):
    return all_workers().restrict(user, action)


def trainings_in_year(worker: Worker, year: int) -> int:
    return Training.objects.filter(worker=worker, held_on__year=year).count()


def training_counts(user, year: int, action: str = VIEW):
    """Workers in scope with their trainings of `year` (at least 2 a year, seed 004 第十二条)."""
    return workers(user, action).annotate(trainings_n=Count("trainings", filter=Q(trainings__held_on__year=year)))


def confirmed_breaches_in_year(worker: Worker, year: int) -> int:
    return Breach.objects.filter(worker=worker, state=BreachState.CONFIRMED, occurred_on__year=year).count()


def breaches(user, action: str = VIEW):
    return Breach.objects.restrict(user, action).select_related("worker__user", "unit")


def breaches_to_confirm(user):
    return breaches(user, MANAGE).filter(state=BreachState.PROPOSED)


def leaves(user, action: str = VIEW):
    return LeaveRequest.objects.restrict(user, action).select_related("worker__user", "unit")


def leaves_to_decide(user):
    return leaves(user, MANAGE).filter(state=LeaveState.REQUESTED).exclude(worker__user=user)


def own_leaves(user):
    return LeaveRequest.objects.filter(worker__user=user).restrict(user, VIEW).order_by("-starts")
