"""Each rule type of the engine, on the small MINI scheme (tests/rubrics/rubric_fixtures.py)."""

import pytest
from rubric_fixtures import FULL, GRID, MINI, compile_dict, marks, variant

from jiceng.rubrics import MarksError, score

S = compile_dict(MINI)


def test_full_marks_reach_the_top_grade():
    r = score(S, FULL)
    assert (r.total, r.max, r.passed, r.grade, r.complete) == (20, 20, True, "优", True)
    assert r.reasons[-1] == "总分20分（满分20分），评定为优"


def test_manual_scores_on_the_half_point_step():
    r = score(S, marks(a1=2.5, b4=0.5))
    assert r.total == 16
    assert {i.id: i.score for i in r.items}["a1"] == 2.5


def test_manual_score_float_noise_is_accepted_on_the_step():
    r = score(S, marks(a1=2.5000000000001))
    assert {i.id: i.score for i in r.items}["a1"] == 2.5


def test_linear_metric_is_proportional_and_rounded_down_to_the_step():
    # 0.7 is halfway between 0.5 and 0.9: 2 of 4 points; 0.68 gives 1.8 -> 1.5.
    assert {i.id: i.score for i in score(S, marks(**{"a2.1": {"metric": 0.7}})).items}["a2.1"] == 2
    r = score(S, marks(**{"a2.1": {"metric": 0.68}}))
    assert {i.id: i.score for i in r.items}["a2.1"] == 1.5
    assert "第a2.1项办结率为68%，在50%（0分）至90%（满分）之间按比例计，得1.5分" in r.reasons
    assert {i.id: i.score for i in score(S, marks(**{"a2.1": {"metric": 0.2}})).items}["a2.1"] == 0
    assert {i.id: i.score for i in score(S, marks(**{"a2.1": {"metric": 1.0}})).items}["a2.1"] == 4


def test_threshold_metric_is_all_or_nothing():
    r = score(S, marks(**{"a2.2": {"metric": 0.949}}))
    assert {i.id: i.score for i in r.items}["a2.2"] == 0
    assert "第a2.2项到位率为94.9%，未达到95%，得0分" in r.reasons


def test_per_occurrence_deducts_down_to_zero():
    r = score(S, marks(b1={"metric": 2}))
    assert {i.id: i.score for i in r.items}["b1"] == 2
    assert "第b1项违规2次，每次扣1.5分，得2分" in r.reasons
    assert {i.id: i.score for i in score(S, marks(b1={"metric": 9})).items}["b1"] == 0


def test_metric_items_also_take_a_manual_score():
    assert {i.id: i.score for i in score(S, marks(b1=3.5)).items}["b1"] == 3.5


def test_no_duty_item_counts_the_fraction():
    r = score(S, marks(a1={"na": True}))
    item = next(i for i in r.items if i.id == "a1")
    assert (item.score, item.na) == (2, True)
    assert "第a1项为无职责项目，经申请审核按一半分值计2分" in r.reasons


def test_no_duty_with_another_fraction_is_stated_as_a_percentage():
    s = compile_dict(variant(no_duty_fraction=0.25))
    r = score(s, marks(a1={"na": True}))
    assert "第a1项为无职责项目，经申请审核按25%分值计1分" in r.reasons


def test_a_zero_item_bars_a_grade_that_forbids_zero_items():
    r = score(S, marks(b4=0))
    assert r.total == 17 and r.grade == "差"
    assert "第b4项得0分，单项不得为0分，不能评为良" in r.reasons
    assert "总分17分，低于优所需18分，不能评为优" in r.reasons


def test_a_zero_section_bars_a_grade_that_forbids_zero_sections():
    s = compile_dict(variant(grades=[{"name": "合格", "no_zero": "sections"}, {"name": "不合格", "passing": False}],
                             flags=[], caps=[], triggers=[]))
    zero_a = marks(a1=0, **{"a2.1": {"metric": 0}, "a2.2": {"metric": 0}})
    r = score(s, zero_a)
    assert r.grade == "不合格"
    assert "第A部分（甲）得0分，单项不得为0分，不能评为合格" in r.reasons
    assert score(s, marks(a1=0)).grade == "合格"


def test_failed_required_check_bars_the_grade_but_an_optional_one_does_not():
    r = score(S, marks(b2=False, b4=1))
    assert (r.total, r.grade) == (17, "差")
    assert "第b2项（必备设施）未达到，为必备项，不能评为良" in r.reasons
    # An unchecked optional item is not a zero item either.
    r = score(S, marks(b3=False, b4=1))
    assert (r.total, r.grade) == (17, "良")


def test_veto_fails_whatever_the_score():
    r = score(S, {**FULL, "vetoes": ["v"]})
    assert (r.total, r.passed, r.grade) == (20, False, "差")
    assert "一票否决：发生重大事故的，不论得分，评为差" in r.reasons


def test_bonus_group_counts_only_the_highest():
    r = score(S, {**marks(a1=0), "bonuses": ["x", "y", "z"]})
    assert r.total == 16 + 2 + 0.5
    assert "获市级表彰，加2分（同组只计最高）" in r.reasons
    assert "获县级表彰，同组已计更高加分，不再加分" in r.reasons
    assert r.bonuses == ["x", "y", "z"]


def test_fixed_deduction_and_floor_at_zero():
    r = score(S, {**marks(a1=3), "deductions": ["d"]})
    assert r.total == 17 and "被通报批评，扣2分" in r.reasons
    empty = {"items": {k: (False if k in ("b2", "b3") else 0) for k in FULL["items"]}}
    empty["items"].update({"a2.1": 0, "a2.2": 0, "b1": 0})
    r = score(S, {**empty, "deductions": ["d"]})
    assert r.total == 0 and "扣分后总分低于0分，按0分计" in r.reasons


def test_flag_zeroes_an_item_and_another_bars_a_grade():
    r = score(S, {**FULL, "flags": ["f"]})
    assert r.total == 16 and "因被约谈，第a1项计0分" in r.reasons
    r = score(S, {**FULL, "flags": ["q"]})
    assert r.total == 20 and r.grade == "良" and r.passed
    assert "因被问责，取消优资格" in r.reasons


def test_metric_cap_limits_the_grade():
    r = score(S, {**FULL, "metrics": {"sat": 0.75}})
    assert r.grade == "良" and "满意率0.75，低于0.8，最高评为良" in r.reasons
    assert score(S, {**FULL, "metrics": {"sat": 0.8}}).grade == "优"


def test_component_weights_and_cap():
    g = compile_dict(GRID)
    r = score(g, {"components": {"work": 95, "sat": 0.843}})
    assert r.total == pytest.approx(57 + 33.72) and r.total == 90.72
    assert r.grade == "合格"
    assert "满意度84.3%，按权重40%计33.72分" in r.reasons
    assert "满意度84.3%，低于85%，最高评为合格" in r.reasons
    assert [(c.id, c.value, c.score) for c in r.components] == [("work", 95, 57), ("sat", 0.843, 33.72)]
    assert r.items == [] and r.sections == [] and r.complete


def test_metric_triggers():
    r = score(S, {**FULL, "metrics": {"complaints": 3, "absent": 10}})
    assert [t.id for t in r.triggers] == ["t-complaints"]
    assert "投诉次数3次，达到3次，触发解聘" in r.reasons
    r = score(S, {**FULL, "metrics": {"complaints": 2, "absent": 11}})
    assert [t.id for t in r.triggers] == ["t-absent"]
    assert "旷工天数11天，超过10天，触发解聘" in r.reasons


def test_consecutive_grade_trigger():
    bad = {**marks(a1=0, b4=0)}
    assert score(S, bad).grade == "差"
    assert [t.outcome for t in score(S, {**bad, "history": ["良", "差"]}).triggers] == ["dismissal"]
    assert score(S, {**bad, "history": ["差", "良"]}).triggers == []
    assert score(S, {**FULL, "history": ["差"]}).triggers == []
    assert score(S, bad).triggers == []  # one period is not two


def test_partial_sheet_counts_missing_items_as_zero():
    r = score(S, {"items": {"a1": 4}}, partial=True)
    assert r.complete is False and r.total == 4
    assert "第b4项未评分，按0分计" in r.reasons
    assert next(i for i in r.items if i.id == "b4").missing
    g = compile_dict(GRID)
    r = score(g, {"components": {"work": 80}}, partial=True)
    assert r.complete is False and r.total == 48 and "满意度未评分，按0分计" in r.reasons
    assert r.components[1].value is None


def test_sections_and_categories_are_broken_down():
    r = score(S, marks(a1=1))
    a, b = r.sections
    assert (a.id, a.score, a.max, a.hardware.score, a.hardware.max, a.software.score) == ("A", 7, 10, 1, 4, 6)
    assert (b.score, b.hardware.max, b.software.max) == (10, 2, 8)
    assert (r.hardware.score, r.hardware.max, r.software.score, r.software.max) == (3, 6, 14, 14)


def test_lazy_and_eager_reasons_agree():
    m = {**marks(a1=2.5), "bonuses": ["x"], "metrics": {"sat": 0.5}}
    assert score(S, m, explain=False).reasons == score(S, m).reasons


def test_to_dict_is_json_ready():
    import json

    d = score(S, {**marks(a1=0.5), "id": 7, "bonuses": ["z"], "metrics": {"complaints": 5}}).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["id"] == 7 and d["total"] == 17 and isinstance(d["total"], int)
    assert d["triggers"] == [{"id": "t-complaints", "outcome": "dismissal", "title": "解聘"}]
    assert d["items"][0] == {"id": "a1", "section": "A", "score": 0.5, "max": 4, "na": False,
                             "missing": False, "category": "hardware"}


def test_scheme_without_grades_has_no_pass_or_grade():
    s = compile_dict({k: v for k, v in MINI.items() if k not in ("grades", "vetoes", "caps", "triggers", "flags")})
    r = score(s, FULL)
    assert (r.passed, r.grade) == (None, None) and r.reasons == [
        "第a2.1项办结率为90%，在50%（0分）至90%（满分）之间按比例计，得4分",
        "第a2.2项到位率为95%，达到95%，得2分",
        "第b1项违规0次，每次扣1.5分，得5分",
        "总分20分（满分20分）",
    ]


BAD_MARKS = [
    ([], "marks must be a JSON object"),
    ({"itemz": {}}, "unknown key 'itemz'"),
    ({"id": [1], "items": {}}, "id [1] must be a string or an integer"),
    ({"items": []}, '"items" must be an object'),
    ({"items": {"zz": 1}}, "item zz: unknown item id"),
    ({"items": {"a2": 1}}, "item a2: has sub-items"),
    ({"items": {"a1": 5}}, "item a1: score 5 is above the maximum 4"),
    ({"items": {"a1": -1}}, "item a1: score -1 is negative"),
    ({"items": {"a1": 0.3}}, "item a1: score 0.3 is off the step 0.5"),
    ({"items": {"a1": float("nan")}}, "item a1: score nan is not a number"),
    ({"items": {"a1": "3"}}, "item a1: '3' is not a number"),
    ({"items": {"a1": True}}, "item a1: give a number of points, not true"),
    ({"items": {"b2": 1}}, "item b2: is a pass/fail item; give true or false, not 1"),
    ({"items": {"a1": {"na": False}}}, 'item a1: an approved no-duty claim is written {"na": true}'),
    ({"items": {"a1": {"score": 1}}}, 'item a1: expected a number, {"na": true} or {"metric": value}'),
    ({"items": {"a1": {"metric": 1}}}, "item a1: is not bound to a metric"),
    ({"items": {"a2.2": {"metric": "x"}}}, "item a2.2: metric 'x' is not a number"),
    ({"items": {"a2.2": {"metric": float("inf")}}}, "item a2.2: metric inf is not a number"),
    ({"items": {"b1": {"metric": 1.5}}}, "item b1: occurrence count 1.5 must be a whole number"),
    ({"items": {"b1": {"metric": -1}}}, "item b1: occurrence count -1 must be a whole number"),
    ({"items": {"a1": 4}}, "item a2.1: no mark given"),
    ({**FULL, "bonuses": "x"}, '"bonuses" must be a list of bonus ids'),
    ({**FULL, "bonuses": ["nope"]}, "bonus 'nope': unknown bonus id"),
    ({**FULL, "vetoes": ["v", "v"]}, '"vetoes" lists the same veto twice'),
    ({**FULL, "flags": [3]}, "flag 3: unknown flag id"),
    ({**FULL, "metrics": []}, '"metrics" must be an object'),
    ({**FULL, "metrics": {"zz": 1}}, "metric zz: unknown metric id"),
    ({**FULL, "metrics": {"sat": None}}, "metric sat: None is not a number"),
    ({**FULL, "history": "差"}, '"history" must be a list of earlier grades'),
    ({**FULL, "history": ["甲"]}, '"history" must be a list of earlier grades'),
]


@pytest.mark.parametrize(("bad", "message"), BAD_MARKS)
def test_bad_marks_are_refused_with_one_clear_line(bad, message):
    with pytest.raises(MarksError) as exc:
        score(S, bad)
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


BAD_COMPONENTS = [
    ({"components": [1]}, '"components" must be an object'),
    ({"components": {"zz": 1}}, "component zz: unknown component id; expected one of work, sat"),
    ({"components": {"work": "9", "sat": 0.9}}, "component work: '9' is not a number"),
    ({"components": {"work": 101, "sat": 0.9}}, "component work: value 101 is above the maximum 100"),
    ({"components": {"work": 80, "sat": 0.9005}}, "component sat: value 0.9005 is off the step 0.001"),
    ({"components": {"work": 80}}, "component sat: no value given"),
    ({"items": {}}, "unknown key 'items'"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_COMPONENTS)
def test_bad_component_marks_are_refused(bad, message):
    with pytest.raises(MarksError) as exc:
        score(compile_dict(GRID), bad)
    assert message in str(exc.value)


def test_below_minimum_component_value_is_refused():
    g = compile_dict(variant(GRID, components=[{**GRID["components"][0], "min": 10}, GRID["components"][1]]))
    with pytest.raises(MarksError, match="value 5 is below the minimum 10"):
        score(g, {"components": {"work": 5, "sat": 0.9}})


def test_marks_error_names_the_item():
    with pytest.raises(MarksError) as exc:
        score(S, {"items": {"a1": 9}})
    assert exc.value.item == "a1"


def test_empty_sheets_with_partial():
    assert score(S, {}, partial=True).total == 0
    assert score(compile_dict(GRID), {}, partial=True).total == 0


def test_no_duty_claim_on_a_scheme_without_the_rule():
    s = compile_dict({k: v for k, v in MINI.items() if k != "no_duty_fraction"})
    with pytest.raises(MarksError, match="this scheme has no rule for no-duty"):
        score(s, marks(a1={"na": True}))


def test_compiled_scheme_scores_directly():
    assert S.score(FULL).total == score(S, FULL).total == 20
    assert S.score({"items": {"a1": 1}}, partial=True).total == 1


def test_to_dict_agrees_with_the_object_views():
    r = score(S, {**marks(a1=1, b3=False), "bonuses": ["x"]})
    d = r.to_dict()
    assert d["items"] == [{"id": i.id, "section": i.section, "score": i.score, "max": i.max, "na": i.na,
                           "missing": i.missing, "category": i.category} for i in r.items]
    assert d["sections"] == [{"id": s.id, "title": s.title, "score": s.score, "max": s.max,
                              "hardware": {"score": s.hardware.score, "max": s.hardware.max},
                              "software": {"score": s.software.score, "max": s.software.max}} for s in r.sections]
    assert d["hardware"] == {"score": r.hardware.score, "max": r.hardware.max} == {"score": 2, "max": 6}
    assert d["software"] == {"score": r.software.score, "max": r.software.max}
    g = score(compile_dict(GRID), {"components": {"work": 80, "sat": 0.9}}).to_dict()
    assert g["sections"] == [] and g["items"] == [] and g["hardware"] == {"score": 0, "max": 0}


def test_single_items_read_per_row_and_the_whole_row_at_zero_fails():
    from jiceng.rubrics.loader import builtin_scheme

    cs = builtin_scheme("taizhou-office-2021")
    marks = {"items": {i: cs.items[k].points for k, i in enumerate(cs.ids)}}
    items = {i: float(v) for i, v in marks["items"].items()}
    items["2.1.2"] = 0
    r = cs.score({"items": items})
    assert r.passed and "第2.1.2项得0分，但单项按第2.1项整行计（该行有得分），不计为0分单项（本地解读）" in r.reasons
    items["2.1.1"] = 0
    items["2.3.2"] = 0
    items["1.1"] = 0
    r = cs.score({"items": items})
    assert not r.passed
    assert "第2.1项得0分，单项不得为0分，未达标" in r.reasons
    assert "第1.1项得0分，单项不得为0分，未达标" in r.reasons
    assert "第2.3.2项得0分，但单项按第2.3项整行计（该行有得分），不计为0分单项（本地解读）" in r.reasons
    assert sum("2.1" in x and "单项不得为0分" in x for x in r.reasons) == 1


def test_self_check_and_single_items_are_checked_against_the_scheme():
    import pytest as _pytest

    from jiceng.rubrics import SchemeError, parse_scheme
    from jiceng.rubrics.loader import BUILTIN_DIR

    text = (BUILTIN_DIR / "taizhou-office-2021.yaml").read_text(encoding="utf-8")
    with _pytest.raises(SchemeError, match="unknown grade '优秀'"):
        parse_scheme(text.replace("self_check: 达标", "self_check: 优秀"), "t")
    with _pytest.raises(SchemeError, match="'1.1' is not an item with sub-items"):
        parse_scheme(text.replace('rows: ["2.1", "2.3", "3.3"]', 'rows: ["1.1"]'), "t")
