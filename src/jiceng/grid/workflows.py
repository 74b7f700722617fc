"""The dismissal of a grid worker (第三十四、三十五条) as a declared workflow."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from jiceng.core.models import EventType
from jiceng.core.workflow import Input, Transition, Workflow, hook

from .capabilities import GRADE_QUARTER, SIGN_OFF
from .models import DismissalCase
from .models import DismissalState as S

HANDOVER_DAYS = 15  # 第三十五条 应在批准之日起半个月内，办理工作交接


@hook("grid.decided")
def decided(step):
    """Sets the decision day and the hand-over due date (15 days, 第三十五条)."""
    day = step.now.date()
    step.obj.decided_on = day
    step.obj.handover_due = day + timedelta(days=HANDOVER_DAYS)
    step.obj.save(update_fields=["decided_on", "handover_due"])
    step.audit_after["handover_due"] = str(step.obj.handover_due)


@hook("grid.leave_post")
def leave_post(step):
    """Takes the worker out of post: the grid is vacant (the talent pool offers candidates, 第七条)."""
    worker = step.obj.worker
    worker.active = False
    worker.left_on = step.now.date()
    worker.save(update_fields=["active", "left_on"])


DISMISSAL = Workflow(
    "grid.dismissal", model=DismissalCase, states=S, initial=S.RAISED, state_field="state",
    label=_("Dismissal of a grid worker"),
    transitions=[
        Transition("village_opinion", source=(S.RAISED,), target=S.VILLAGE_OPINION, capability=SIGN_OFF,
                   event=EventType.UPDATE, label=_("Sign the village's opinion"),
                   inputs=(Input("village_opinion", required=True, label=_("village's signed opinion"),
                                 audit="village_opinion"),), stamp="changed_at"),
        Transition("decide", source=(S.VILLAGE_OPINION,), target=S.DECIDED, capability=GRADE_QUARTER,
                   event=EventType.UPDATE, label=_("Decide to dismiss (in writing)"),
                   inputs=(Input("decision", required=True, label=_("township's written decision"),
                                 audit="decision"),),
                   effects=("grid.decided",), stamp="changed_at"),
        Transition("drop", source=(S.RAISED, S.VILLAGE_OPINION), target=S.DROPPED, capability=GRADE_QUARTER,
                   event=EventType.UPDATE, label=_("Do not dismiss"), reason=_("why the worker stays"),
                   stamp="changed_at"),
        Transition("hand_over", source=(S.DECIDED,), target=S.HANDED_OVER, capability=GRADE_QUARTER,
                   event=EventType.UPDATE, label=_("Record the hand-over"),
                   inputs=(Input("handover_note", required=True, label=_("hand-over record"), audit="handover"),
                           Input("audit_needed", label=_("financial audit needed"), audit="audit_needed")),
                   effects=("grid.leave_post",), stamp="changed_at"),
        Transition("file", source=(S.HANDED_OVER,), target=S.FILED, capability=GRADE_QUARTER,
                   event=EventType.UPDATE, label=_("File with 民政, 财政, 人社"),
                   inputs=(Input("filing_note", required=True, label=_("record for 民政, 财政, 人社"),
                                 audit="filing"),), stamp="changed_at"),
    ],
)
