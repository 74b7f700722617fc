"""The enforcement app's actions (执法监察)."""

# Register a clue (违法线索) and handle it: feedback, close, turn into a case.
CLUE_REGISTER = "enforcement.clue_register"
CLUE_HANDLE = "enforcement.clue_handle"
# Work a violation case (违法案件) through its steps; officers with a valid certificate only.
CASE_WORK = "enforcement.case_work"
# Approve a filing, a legal review, a decision extension (the office head).
CASE_APPROVE = "enforcement.case_approve"
# Manage officers and their enforcement certificates (执法证).
OFFICER_MANAGE = "enforcement.officer_manage"
# Satellite spots (卫片): import a batch, judge a spot.
SPOT_IMPORT = "enforcement.spot_import"
SPOT_JUDGE = "enforcement.spot_judge"
# The monthly report (综合月报): prepare and submit; review at the county.
REPORT_SUBMIT = "enforcement.report_submit"
REPORT_REVIEW = "enforcement.report_review"
# Reminded of due-soon and overdue clues and case steps.
REMIND = "enforcement.remind"
