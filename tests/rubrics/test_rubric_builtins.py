"""The built-in schemes: ids, totals, transcription spot checks against the seeds."""

from fractions import Fraction

import pytest

from jiceng.rubrics import SchemeError, builtin_scheme, list_builtin_schemes

ISSUE_IDS = {
    "taizhou-office-2021", "yiyang-enforcement-2017", "lingwu-window-staff-2021", "lingwu-grid-annual-2021",
    "lingwu-grid-quarterly-2021", "lingwu-squad-2021", "lingwu-agency-point-2021", "lingwu-service-centre-2021",
    "xiji-window",
}


def test_builtin_ids_are_the_issues():
    assert {s.id for s in list_builtin_schemes()} == ISSUE_IDS


@pytest.mark.parametrize("scheme_id", sorted(ISSUE_IDS))
def test_points_add_up_to_the_declared_total(scheme_id):
    d = builtin_scheme(scheme_id).definition

    def leaves(items):
        for i in items:
            yield from (leaves(i.items) if i.items else [i])

    if d.sections:
        for s in d.sections:
            assert sum(Fraction(i.points) for i in leaves(s.items)) == s.points
        assert sum(Fraction(s.points) for s in d.sections) == d.total
    else:
        assert sum(Fraction(c.weight) * Fraction(c.scale) * Fraction(str(c.max)) for c in d.components) == d.total


@pytest.mark.parametrize("scheme_id", sorted(ISSUE_IDS))
def test_every_local_setting_carries_a_note(scheme_id):
    for entry in builtin_scheme(scheme_id).local_settings:
        assert not entry.endswith(": None"), entry


def test_taizhou_sections_and_points_follow_the_seed():
    d = builtin_scheme("taizhou-office-2021").definition
    assert [(s.id, s.title, int(s.points)) for s in d.sections] == [
        ("1", "机构设置与队伍建设", 13), ("2", "硬件设施建设", 25), ("3", "规章制度建设与落实", 16),
        ("4", "履行职责与完成任务情况", 34), ("5", "公开办事制度与便民措施建设", 12)]
    s = builtin_scheme("taizhou-office-2021")
    points = dict(zip(s.ids, s.item_max_float, strict=True))
    assert points["3.3.1"] == points["3.3.2"] == 1.5
    assert points["2.2"] == 12 and points["4.6"] == 6
    assert [v.id for v in d.vetoes] == ["leader-discipline", "major-accident", "dereliction-petition"]
    assert [(b.id, int(b.points)) for b in d.bonuses] == [("county-satisfied", 5), ("city-satisfied", 15)]
    assert {i.category for i in s.items if i.id.startswith("2.")} == {"hardware"}
    assert {i.category for i in s.items if not i.id.startswith("2.")} == {"software"}


def test_yiyang_sections_follow_the_seed():
    d = builtin_scheme("yiyang-enforcement-2017").definition
    assert [int(s.points) for s in d.sections] == [16, 14, 20, 10, 20, 20]
    assert [len(s.items) for s in d.sections] == [8, 6, 7, 3, 7, 4]
    assert {f.id for f in d.flags} == {"interviewed", "accountability", "false-data"}


def test_lingwu_window_staff_sections_follow_the_seed():
    d = builtin_scheme("lingwu-window-staff-2021").definition
    assert [(s.title, int(s.points), len(s.items)) for s in d.sections] == [
        ("工作纪律", 30, 7), ("业务技能", 30, 6), ("服务规范", 20, 4), ("群众评议", 20, 5)]


def test_checklists_list_the_seed_requirements():
    ten = [i.text for i in builtin_scheme("lingwu-agency-point-2021").items]
    assert ten == ["一个场所", "一块牌子", "一部电话", "一支代办队伍", "一台电脑", "一本台帐", "一套制度",
                   "一个公示栏", "一套办事须知", "一张便民服务卡"]
    xiji = builtin_scheme("xiji-window").definition
    assert [s.title for s in xiji.sections] == ["行政审批标准化", "运行模式标准化", "管理模式标准化", "人员配备标准化"]


def test_component_weights_follow_the_seed():
    squad = builtin_scheme("lingwu-squad-2021").definition
    assert [(c.id, float(c.weight)) for c in squad.components] == [("bureau", 0.4), ("township", 0.6)]
    grid = builtin_scheme("lingwu-grid-annual-2021").definition
    assert [(c.id, float(c.weight)) for c in grid.components] == [("performance", 0.6), ("satisfaction", 0.4)]
    assert [(q.grade, float(q.share)) for q in grid.quotas] == [("优秀", 0.15)]


def test_unknown_builtin_id():
    with pytest.raises(SchemeError, match="no built-in scheme has this id"):
        builtin_scheme("nope")


def test_builtin_schemes_are_compiled_once():
    assert builtin_scheme("taizhou-office-2021") is builtin_scheme("taizhou-office-2021")
