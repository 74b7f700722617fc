"""Satisfaction surveys (第三十二条): respondents drawn by the system, seed and list recorded."""

from __future__ import annotations

import random
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.core.scoping import holds

from ..capabilities import MANAGE
from ..models import GridWorker, Resident, Survey, SurveyAnswer


def draw_list(seed: str, population: list[int], size: int) -> list[int]:
    """The draw itself (pure): `size` of the sorted ids, by Python's Mersenne Twister seeded with `seed`.
    Anyone holding the seed and the grid's resident list at the draw re-draws the same people."""
    return random.Random(seed).sample(sorted(population), min(size, len(population)))


def population(unit_id: int) -> list[int]:
    return list(Resident.objects.filter(unit_id=unit_id, active=True).order_by("pk").values_list("pk", flat=True))


def draw(*, actor, worker: GridWorker, period: str, size: int, seed: str | None = None) -> Survey:
    if actor is not None and not holds(actor, MANAGE, worker.unit):
        raise PermissionDenied(_("You may not draw surveys for %(grid)s.") % {"grid": worker.unit.name})
    if size < 1:
        raise ValidationError({"size": _("Draw at least one respondent.")})
    seed = seed or secrets.token_hex(16)
    with transaction.atomic():
        if Survey.objects.filter(worker=worker, period=period).exists():
            raise ValidationError({"period": _("%(name)s's survey for %(period)s has been drawn already.")
                                   % {"name": worker.name, "period": period}})
        people = population(worker.unit_id)
        if not people:
            raise ValidationError({"size": _("The grid has no residents to draw from.")})
        drawn = draw_list(seed, people, size)
        survey = Survey.objects.create(unit=worker.unit, worker=worker, period=period, seed=seed, size=size,
                                       drawn=drawn, drawn_by=actor, drawn_at=timezone.now())
        audit.record(EventType.CREATE, actor=actor, subject=survey, unit=worker.unit,
                     after={"period": period, "seed": seed, "size": size, "population": len(people),
                            "drawn": drawn})
    return survey


def draw_county(*, actor, county, period: str, size: int, seed: str) -> int:
    """Draw every worker's survey under `county` in one pass (one read of the residents, one insert)."""
    workers = {w.unit_id: w for w in GridWorker.objects.within(county).filter(active=True).select_related("unit")
               if actor is None or holds(actor, MANAGE, w.unit)}
    by_grid: dict[int, list[int]] = {}
    for unit_id, pk in (Resident.objects.filter(unit_id__in=list(workers), active=True)
                        .order_by("unit_id", "pk").values_list("unit_id", "pk").iterator(chunk_size=20000)):
        by_grid.setdefault(unit_id, []).append(pk)
    now = timezone.now()
    with transaction.atomic():
        done = set(Survey.objects.filter(worker__in=list(workers.values()), period=period)
                   .values_list("worker__unit_id", flat=True))
        rows = [Survey(unit_id=u, worker=w, period=period, seed=f"{seed}:{w.unit.code}", size=size,
                       drawn=draw_list(f"{seed}:{w.unit.code}", by_grid.get(u, []), size), drawn_by=actor,
                       drawn_at=now)
                for u, w in workers.items() if u not in done and by_grid.get(u)]
        Survey.objects.bulk_create(rows, batch_size=2000)
        audit.record(EventType.CREATE, actor=actor, unit=county, after={"surveys": len(rows), "period": period,
                                                                        "seed": seed, "size": size})
    return len(rows)


def redraw(survey: Survey) -> list[int]:
    """The draw again from the stored seed and the residents present at the draw (the audit row's population
    is the list as it then was; today's list is used when nobody has moved in or out)."""
    return draw_list(survey.seed, population(survey.unit_id), survey.size)


def answer(*, actor, survey: Survey, resident_id: int, satisfied: bool) -> SurveyAnswer:
    if actor is not None and not holds(actor, MANAGE, survey.unit):
        raise PermissionDenied(_("You may not enter answers for %(grid)s.") % {"grid": survey.unit.name})
    if resident_id not in survey.drawn:
        raise ValidationError({"resident": _("This resident was not drawn for the survey: only drawn residents "
                                             "may answer (第三十二条: 不得提前安排或指定).")})
    with transaction.atomic():
        if SurveyAnswer.objects.filter(survey=survey, resident_id=resident_id).exists():
            raise ValidationError({"resident": _("This resident has answered already.")})
        row = SurveyAnswer.objects.create(survey=survey, resident_id=resident_id, satisfied=satisfied)
        audit.record(EventType.CREATE, actor=actor, subject=survey, unit=survey.unit,
                     after={"answer": resident_id, "satisfied": satisfied})
    return row


def satisfaction(worker_ids, periods) -> dict[int, tuple[int, int]]:
    """{worker id: (satisfied, answered)} over the surveys of `periods`."""
    rows = (SurveyAnswer.objects.filter(survey__worker_id__in=list(worker_ids), survey__period__in=list(periods))
            .values("survey__worker_id")
            .annotate(yes=Count("pk", filter=Q(satisfied=True)), all=Count("pk")).order_by())
    return {r["survey__worker_id"]: (r["yes"], r["all"]) for r in rows}
