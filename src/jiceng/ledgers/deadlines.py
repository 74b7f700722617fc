"""The ledgers' deadlines as data (core.deadlines)."""

from jiceng.core.deadlines import DayUnit, Rule

# 信访工作条例 第三十二条: a petition is handled within 60 days of being accepted.
PETITION = Rule(60, DayUnit.CALENDAR, "信访事项办理")
# Seed 000 4.5 (no overdue backlog of submissions): a submission is filed or forwarded within 5 working days
# (the office's own service standard; the seed gives no number).
FILING = Rule(5, DayUnit.WORKING, "报件资料办理")
