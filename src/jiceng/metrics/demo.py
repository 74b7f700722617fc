"""The demo's indicator values: every registered indicator computed over the demo's ledgers and units.

Runs after the contributions whose rows it counts (`AFTER`; each ledger app that registers a demo
contribution is named here when it is wired, so its rows are counted on the first `jiceng demo`).
"""

from __future__ import annotations

from jiceng.core import demo

from .models import IndicatorValue

AFTER = ["org", "accounts", "assessments"]


def build_values() -> dict:
    from . import compute

    return compute.compute_all()


def values_loaded() -> bool:
    return IndicatorValue.objects.exists()


def summary() -> list[str]:
    from . import indicators

    return [f"指标 / indicators: {len(indicators.all_indicators())}, values stored: {IndicatorValue.objects.count()}"]


def register() -> None:
    demo.register("metrics", build=build_values, loaded=values_loaded, after=AFTER, summary=summary,
                  built_message="演示指标已计算 / demo indicator values computed")
