"""The service window's actions (issue 13): catalogue, intake, review, decision, delivery."""

MANAGE_CATALOGUE = "window.catalogue"      # keep the unit's 政务服务事项 and their guides
INTAKE = "window.intake"                   # receive an application at the window (收件), notice, accept, refuse
HAND_OVER = "window.hand_over"             # hand a case to another handler (首问负责 stays recorded)
REVIEW = "window.review"                   # back-office review (后台审查)
DECIDE = "window.decide"                   # the decision (决定), also needs a recorded authorisation
DELIVER = "window.deliver"                 # delivery of the decision (送达)
EXTEND = "window.extend"                   # approve the one extension (第四十二条)
AUTHORISE = "window.authorise"             # record a chief representative's authorisation (首席代表授权)
FIGURES = "window.figures"                 # the unit's window figures
REMIND = "window.remind"                   # reminded of due-soon and overdue cases
