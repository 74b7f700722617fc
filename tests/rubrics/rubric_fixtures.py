"""A small scheme that exercises every rule type, and helpers to build variants of it."""

from __future__ import annotations

import copy

import yaml

from jiceng.rubrics import parse_scheme

MINI = {
    "id": "mini",
    "version": 1,
    "title": "测试方案",
    "source": {"document": "测试文件"},
    "step": 0.5,
    "total": 20,
    "no_duty_fraction": 0.5,
    "sections": [
        {"id": "A", "title": "甲", "points": 10, "items": [
            {"id": "a1", "text": "手工项", "points": 4, "category": "hardware"},
            {"id": "a2", "text": "父项", "points": 6, "category": "software", "items": [
                {"id": "a2.1", "text": "线性项", "points": 4, "category": "software",
                 "rule": {"type": "linear", "metric": "办结率", "floor": 0.5, "target": 0.9}},
                {"id": "a2.2", "text": "门槛项", "points": 2, "category": "software",
                 "rule": {"type": "threshold", "metric": "到位率", "target": 0.95}},
            ]},
        ]},
        {"id": "B", "title": "乙", "points": 10, "items": [
            {"id": "b1", "text": "扣分项", "points": 5, "category": "software",
             "rule": {"type": "per_occurrence", "metric": "违规", "deduct": 1.5}},
            {"id": "b2", "title": "必备设施", "text": "必备项", "points": 1, "category": "hardware",
             "rule": {"type": "check"}},
            {"id": "b3", "text": "可选项", "points": 1, "category": "hardware",
             "rule": {"type": "check", "required": False}},
            {"id": "b4", "text": "手工项二", "points": 3, "category": "software"},
        ]},
    ],
    "grades": [
        {"name": "优", "min_total": 18, "no_zero": "sections"},
        {"name": "良", "min_total": 12, "no_zero": "items", "required_checks": True},
        {"name": "差", "passing": False},
    ],
    "vetoes": [{"id": "v", "text": "发生重大事故的"}],
    "bonuses": [
        {"id": "x", "title": "县级表彰", "points": 1, "group": "g"},
        {"id": "y", "title": "市级表彰", "points": 2, "group": "g"},
        {"id": "z", "title": "专项表彰", "points": 0.5, "group": "h"},
    ],
    "deductions": [{"id": "d", "title": "被通报批评", "points": 2}],
    "flags": [
        {"id": "f", "title": "被约谈", "zero_items": ["a1"]},
        {"id": "q", "title": "被问责", "bars": ["优"]},
    ],
    "metrics": [
        {"id": "sat", "title": "满意率", "unit": ""},
        {"id": "complaints", "title": "投诉次数", "unit": "次"},
        {"id": "absent", "title": "旷工天数", "unit": "天"},
    ],
    "caps": [{"metric": "sat", "below": 0.8, "max_grade": "良"}],
    "triggers": [
        {"id": "t-run", "title": "连续两期为差", "consecutive_grade": "差", "periods": 2,
         "outcome": "dismissal", "outcome_title": "解聘"},
        {"id": "t-complaints", "title": "投诉3次以上", "metric": "complaints", "at_least": 3,
         "outcome": "dismissal", "outcome_title": "解聘"},
        {"id": "t-absent", "title": "旷工超过10天", "metric": "absent", "above": 10,
         "outcome": "dismissal", "outcome_title": "解聘"},
    ],
}

# Full marks on MINI: a1 4, a2.1 metric ≥ 0.9, a2.2 metric ≥ 0.95, b1 0 breaches, b2/b3 true, b4 3.
FULL = {"items": {"a1": 4, "a2.1": {"metric": 0.9}, "a2.2": {"metric": 0.95}, "b1": {"metric": 0},
                  "b2": True, "b3": True, "b4": 3}}

GRID = {
    "id": "pop",
    "version": 1,
    "title": "人员考核",
    "source": {"document": "测试文件"},
    "total": 100,
    "components": [
        {"id": "work", "title": "实绩", "max": 100, "step": 0.5, "weight": 0.6},
        {"id": "sat", "title": "满意度", "max": 1, "step": 0.001, "scale": 100, "weight": 0.4,
         "percent": True},
    ],
    "grades": [
        {"name": "优秀", "min_total": 90},
        {"name": "合格", "min_total": 60},
        {"name": "不合格", "passing": False},
    ],
    "caps": [{"component": "sat", "below": 0.85, "max_grade": "合格"}],
    "quotas": [{"grade": "优秀", "share": 0.15}],
}


def variant(base: dict = MINI, **changes) -> dict:
    data = copy.deepcopy(base)
    data.update(changes)
    return data


def compile_dict(data: dict, file: str = "test.yaml"):
    return parse_scheme(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), file)


def marks(**items) -> dict:
    m = copy.deepcopy(FULL)
    m["items"].update(items)
    return m
