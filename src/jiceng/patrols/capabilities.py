"""The patrols app's actions (巡查)."""

RECORD = "patrols.record"  # record a patrol, its track and findings; turn a finding into a clue
PLAN = "patrols.plan"  # patrol areas, their responsible persons (巡查区域责任人) and the monthly plan
