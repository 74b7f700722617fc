"""The staffing app's actions (posts, attendance, discipline, trainings)."""

# Keep the posts, mark absences, approve leave, confirm breaches, record trainings (the centre head).
MANAGE = "staffing.manage"
# Sign in and out, ask for leave: the window staff themselves.
ATTEND = "staffing.attend"
