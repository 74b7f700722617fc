"""The window's figures: counted in the database, each one the cases its list shows."""

from __future__ import annotations

from datetime import date

import pytest

from jiceng.window import figures, services
from jiceng.window.models import Case

from .conftest import at, person
from .test_lifecycle import authorise

pytestmark = pytest.mark.django_db


def _decided(centre, people, item, received, decided):
    w = people["window"]
    case = services.intake(centre, item, actor=w, now=received, **person())
    case = services.accept(case, actor=w, expected_version=case.version, now=received)
    case = services.review(case, actor=people["back"], expected_version=case.version, opinion="同意", now=decided)
    return services.decide(case, actor=people["chief"], expected_version=case.version, outcome="granted",
                           text="准予", now=decided)


def test_figures_count_in_one_query(centre, people, item, instant_item, django_assert_num_queries):
    authorise(people, centre)
    w = people["window"]
    _decided(centre, people, instant_item, at(2026, 11, 2, 9, 0), at(2026, 11, 2, 9, 10))   # instant, 10 min
    _decided(centre, people, instant_item, at(2026, 11, 3, 9, 0), at(2026, 11, 3, 9, 40))   # instant, 40 min
    _decided(centre, people, item, at(2026, 11, 4), at(2026, 11, 11))                         # early, 5 days
    services.intake(centre, item, actor=w, now=at(2026, 11, 5), **person())                  # received, overdue
    refused = services.intake(centre, item, actor=w, now=at(2026, 11, 6), **person())
    services.refuse(refused, actor=w, expected_version=refused.version, reason="不符", basis="第六十二条")
    noticed = services.intake(centre, item, actor=w, now=at(2026, 11, 6), **person())
    services.give_notice(noticed, actor=w, expected_version=noticed.version, now=at(2026, 11, 6),
                         items=[{"material": "户口簿", "problem": "未提交"}])
    services.intake(centre, item, actor=w, now=at(2026, 12, 1), **person())  # another month
    qs = Case.objects.filter(unit=centre)
    first, last = figures.month(date(2026, 11, 15))
    with django_assert_num_queries(1):
        result = figures.figures(qs, first, last, today=date(2026, 11, 30))
    c = result["counts"]
    assert (c["received"], c["accepted"], c["noticed"], c["refused"], c["decided"]) == (6, 3, 1, 1, 3)
    assert (c["same_day"], c["early"], c["in_time"], c["instant"], c["instant_15"]) == (2, 1, 3, 2, 1)  # early: only the 5-day case (an instant one is due the same day)
    # The one received 11-5 with no notice (its 5 days ended 11-12) and the three decided ones, not delivered
    # within 10 working days (第四十四条); the one under correction has no running clock.
    assert c["overdue"] == 4
    assert result["rates"]["instant_15"] == 50.0 and result["rates"]["same_day"] == round(200 / 3, 1)
    assert result["avg_days"] == round(5 / 3, 1)
    listed = figures.filter_cases(qs, "instant_15", first, last, today=date(2026, 11, 30))
    assert listed.count() == 1
    rows = figures.per_unit(Case.objects.all(), first, last, today=date(2026, 11, 30))
    assert [(r["unit"], r["received"]) for r in rows] == [(centre.pk, 6)]
