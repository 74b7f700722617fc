"""The statute's time limits of a window case, as data (core.deadlines).

行政许可法: 第三十二条 the correction notice within 5 working days of receipt, else accepted from
the day received; 第四十二条 20 working days, one extension of 10 with approval (joint or
parallel handling 45 + 15); 第四十四条 delivery within 10 working days of the decision;
第四十五条 hearings, tests, inspections and expert reviews are not counted (stops).
"""

from __future__ import annotations

from datetime import timedelta

from jiceng.core.deadlines import DayUnit, Rule

NOTICE_DAYS = 5
NOTICE = Rule(NOTICE_DAYS, DayUnit.WORKING, "收件")            # 第三十二条
DELIVERY = Rule(10, DayUnit.WORKING, "决定")                  # 第四十四条
EXTENSION_DAYS = 10                                          # 第四十二条
PARALLEL_EXTENSION_DAYS = 15                                 # 第四十二条第二款
INSTANT_WITHIN = timedelta(minutes=15)                       # 即办件: intake → decision

# 第四十五条: what stops the clock.
STOP_REASONS = ("听证", "检验", "检测", "检疫", "鉴定", "专家评审", "补正")


def statutory(days: int) -> Rule:
    return Rule(days, DayUnit.WORKING, "受理")


def promised(days: int) -> Rule:
    return Rule(days, DayUnit.WORKING, "受理（承诺时限）")


def extension_days(parallel: bool) -> int:
    return PARALLEL_EXTENSION_DAYS if parallel else EXTENSION_DAYS
