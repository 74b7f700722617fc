"""Surveys drawn from a seed (第三十二条), quarterly and annual grading (第三十一至三十三条), the talent pool."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factories import UnitFactory
from jiceng.grid.models import Grade, GridWorker, Household, PoolEntry, Survey, SurveyAnswer
from jiceng.grid.services import grading, surveys, work
from jiceng.grid.services import grids as gs
from jiceng.grid.services import residents as rs

from .conftest import id_number

pytestmark = pytest.mark.django_db


def test_draw_is_reproducible_from_its_seed(gw):
    survey = surveys.draw(actor=gw.admin, worker=gw.worker_a, period="2026-Q4", size=3, seed="abc")
    assert len(survey.drawn) == 3 and len(set(survey.drawn)) == 3
    assert surveys.redraw(survey) == survey.drawn
    assert surveys.draw_list("abc", surveys.population(gw.grid_a.pk), 3) == survey.drawn
    assert set(survey.drawn) <= set(surveys.population(gw.grid_a.pk))
    with pytest.raises(ValidationError):
        surveys.draw(actor=gw.admin, worker=gw.worker_a, period="2026-Q4", size=3)


def test_answer_for_someone_not_drawn_is_refused(gw):
    survey = surveys.draw(actor=gw.admin, worker=gw.worker_a, period="2026-Q4", size=2, seed="s1")
    outsider = next(pk for pk in surveys.population(gw.grid_a.pk) if pk not in survey.drawn)
    with pytest.raises(ValidationError) as err:
        surveys.answer(actor=gw.admin, survey=survey, resident_id=outsider, satisfied=True)
    assert "未被随机抽中" in str(err.value)
    assert not SurveyAnswer.objects.exists()
    surveys.answer(actor=gw.admin, survey=survey, resident_id=survey.drawn[0], satisfied=True)
    surveys.answer(actor=gw.admin, survey=survey, resident_id=survey.drawn[1], satisfied=False)
    assert surveys.satisfaction([gw.worker_a.pk], ["2026-Q4"]) == {gw.worker_a.pk: (1, 2)}


_serials = itertools.count(100)


def _answers(worker, period, yes, no, tag):
    """A survey of yes+no answers (adds residents to the worker's grid as needed)."""
    household = Household.objects.create(unit=worker.unit, address=f"{tag}号")
    for n in range(yes + no):
        rs.add_resident(actor=None, household=household, name=f"{tag}{n}",
                        id_number=id_number(next(_serials) % 1000, born=f"19{60 + n % 30}0101"))
    survey = surveys.draw(actor=None, worker=worker, period=period, size=yes + no, seed=tag)
    for i, pk in enumerate(survey.drawn):
        surveys.answer(actor=None, survey=survey, resident_id=pk, satisfied=i < yes)


def test_quarter_graded_once_with_full_pay(gw):
    _answers(gw.worker_a, "2026-Q3", 9, 1, "qa")
    _answers(gw.worker_b, "2026-Q3", 5, 5, "qb")
    rows = grading.grade_quarter(actor=gw.admin, township=gw.region.township_a, period="2026-Q3")
    by = {r.worker_id: r for r in rows}
    assert by[gw.worker_a.pk].answered == 10 and by[gw.worker_a.pk].satisfied == 9
    assert {r.grade for r in rows} <= {"称职", "不称职"}
    for r in rows:
        assert r.full_pay == (r.grade == "称职")
        assert "visits_required" in r.figures
    with pytest.raises(ValidationError) as err:
        grading.grade_quarter(actor=gw.admin, township=gw.region.township_a, period="2026-Q3")
    assert "graded once" in str(err.value) or "一次" in str(err.value)
    assert Grade.objects.filter(kind="quarter", period="2026-Q3").count() == 2


def test_quarter_of_a_wrong_unit_is_refused(gw):
    with pytest.raises(ValidationError):
        grading.grade_quarter(actor=gw.admin, township=gw.region.village_a, period="2026-Q3")
    with pytest.raises(PermissionDenied):
        grading.grade_quarter(actor=gw.director, township=gw.region.township_a, period="2026-Q3")
    assert not Grade.objects.exists()


def test_prefill_counts_visits(gw):
    start = date(2026, 10, 1)
    for week in range(13):
        day = start + timedelta(days=7 * week)
        work.record_entry(actor=gw.user_a, unit=gw.grid_a, day=day, kind="visit", resident_id=gw.elderly.pk,
                          today=date(2026, 12, 31))
    figs = grading.figures([gw.worker_a], start, date(2026, 12, 31), ["2026-Q4"])[gw.worker_a.pk]
    # The elderly resident: 13 weekly visits needed, 13 made (they also count for the household).
    assert figs["visits_done"] >= 13 and figs["visits_required"] >= 13


def _township_of(n_workers, region):
    township = UnitFactory(parent=region.county_a, kind="township", name="大镇", code="CAZ")
    village = UnitFactory(parent=township, kind="village", name="大村", code="CAZV")
    workers = []
    for i in range(n_workers):
        grid = UnitFactory(parent=village, kind="grid", name=f"第{i}网格", code=f"CAZV{i:02d}")
        gs.save_profile(actor=None, unit=grid, area="rural")
        workers.append(gs.appoint(actor=None, unit=grid, name=f"员{i}", appointment="group_leader")[0])
    return township, workers


def test_annual_quota_and_satisfaction_caps_bite(region, users):
    township, workers = _township_of(10, region)
    # Everyone's performance is 100; satisfaction 100 % for eight, 80 % and 60 % for the last two.
    rates = [(10, 0)] * 8 + [(8, 2), (6, 4)]
    for w, (yes, no) in zip(workers, rates, strict=True):
        _answers(w, "2026", yes, no, f"y{w.pk}")
    overrides = {w.pk: 100 for w in workers}
    rows = grading.grade_year(actor=users["city_admin"], unit=township, year=2026, overrides=overrides)
    grades = [r.grade for r in rows]
    assert grades.count("优秀") == 1  # 15 % of 10, rounded down: the quota bites (8 scored ≥ 90)
    assert rows[8].grade == "合格"  # satisfaction 80 % < 85 %: not 优秀
    assert rows[9].grade == "基本合格"  # 60 % < 70 %: not 合格
    excellent = next(r for r in rows if r.grade == "优秀")
    assert excellent.status == "pending" and excellent.award == Decimal("800.00")
    assert list(grading.award_list(township, 2026)) == []
    with pytest.raises(ValidationError):
        grading.record_opinions(actor=users["city_admin"], grade=excellent, politics="同意", centre="")
    grading.record_opinions(actor=users["city_admin"], grade=excellent, politics="同意", centre="同意")
    assert [g.worker_id for g in grading.award_list(township, 2026)] == [excellent.worker_id]
    assert all(r.candidacy_priority == (r.grade in ("优秀", "合格")) for r in rows)


def test_pool_offers_by_score_and_refuses_expired(gw):
    city = gw.region.city
    today = date(2026, 12, 4)
    old = PoolEntry.objects.create(unit=city, name="过期", exam_score=95, entered_on=date(2025, 11, 1))
    refused = PoolEntry.objects.create(unit=city, name="拒绝", exam_score=92, entered_on=date(2026, 5, 1), refused=True)
    best = PoolEntry.objects.create(unit=city, name="甲", exam_score=90, entered_on=date(2026, 3, 1))
    second = PoolEntry.objects.create(unit=city, name="乙", exam_score=85, entered_on=date(2026, 3, 1))
    assert [e.name for e in gs.offers(city, today)] == ["甲", "乙"]
    with pytest.raises(ValidationError) as err:
        gs.post_candidate(actor=gw.city_admin, entry=old, grid=gw.grid_a, today=today)
    assert "expired" in str(err.value) or "过期" in str(err.value) or "有效" in str(err.value)
    with pytest.raises(ValidationError):
        gs.post_candidate(actor=gw.city_admin, entry=refused, grid=gw.grid_a, today=today)
    with pytest.raises(ValidationError):
        gs.post_candidate(actor=gw.city_admin, entry=second, grid=gw.grid_a, today=today)
    gs.post_candidate(actor=gw.city_admin, entry=best, grid=gw.grid_a, today=today)
    assert [e.name for e in gs.offers(city, today)] == ["乙"]
    old.refresh_from_db()
    assert old.posted_to_id is None


def test_one_worker_per_grid_and_eligibility(gw):
    with pytest.raises(ValidationError):
        gs.appoint(actor=gw.admin, unit=gw.grid_a, name="第二人", appointment="group_leader")
    grid = UnitFactory(parent=gw.region.village_a, kind="grid", name="城网格", code="CATVU")
    gs.save_profile(actor=gw.admin, unit=grid, area="urban")
    with pytest.raises(ValidationError) as err:
        gs.appoint(actor=gw.admin, unit=grid, name="主任", appointment="two_committees", committee_post="member")
    assert "第三条" in str(err.value)
    worker, findings = gs.appoint(actor=gw.admin, unit=grid, name="招聘", appointment="recruited")
    assert findings == [] and GridWorker.objects.filter(unit=grid, active=True).count() == 1


def test_boundary_is_validated(gw):
    bow = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    with pytest.raises(ValidationError) as err:
        gs.save_profile(actor=gw.admin, unit=gw.grid_a, area="rural", boundary=bow)
    assert "boundary" in err.value.message_dict
    with pytest.raises(ValidationError):
        gs.save_profile(actor=gw.admin, unit=gw.grid_a, area="rural", boundary={"type": "Point", "coordinates": [1, 2]})
    square = {"type": "Polygon", "coordinates": [[[106.3, 38.1], [106.31, 38.1], [106.31, 38.11], [106.3, 38.11],
                                                  [106.3, 38.1]]]}
    profile = gs.save_profile(actor=gw.admin, unit=gw.grid_a, area="rural", boundary=square)
    assert profile.boundary == square


def test_pairs_only_within_one_community(gw):
    other_village = UnitFactory(parent=gw.region.township_a, kind="village", name="乙村", code="CATW")
    far = UnitFactory(parent=other_village, kind="grid", name="乙村网格", code="CATWG")
    far_profile = gs.save_profile(actor=gw.admin, unit=far, area="rural")
    with pytest.raises(ValidationError):
        gs.pair(actor=gw.admin, a=gw.profile_a, b=far_profile)
    assert gs.partner_of(gw.profile_a).pk == gw.profile_b.pk
    assert gs.partner_of(gw.profile_b).pk == gw.profile_a.pk


def test_survey_for_whole_county(gw):
    n = surveys.draw_county(actor=None, county=gw.region.county_a, period="2026-Q4", size=2, seed="county")
    assert n == 2 and Survey.objects.count() == 2
    for survey in Survey.objects.all():
        assert surveys.redraw(survey) == survey.drawn
