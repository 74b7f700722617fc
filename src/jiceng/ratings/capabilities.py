"""The ratings app's actions (好差评 and rectification)."""

INVITE = "ratings.invite"      # give the applicant the rating QR code or link of a case
RECTIFY = "ratings.rectify"    # work on a rectification of one's own case: call back, fix, explain, appeal
REVIEW = "ratings.review"      # see every 差评 of the unit, decide appeals (申诉复核)
FIGURES = "ratings.figures"    # the rating figures and the monthly ranking of windows
REMIND = "ratings.remind"      # reminded of due-soon and overdue rectifications
