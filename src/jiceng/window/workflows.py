"""The window case's declared workflow (seed 002: 申请与受理 → 审查 → 决定 → 送达)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jiceng.core.models import EventType
from jiceng.core.workflow import Input, Transition, Workflow, hook

from . import authority
from .capabilities import DECIDE, DELIVER, INTAKE, REVIEW
from .models import Case, State


@hook("window.chief_authorised")
def chief_authorised(step):
    """The decider holds a recorded, valid 首席代表 authorisation with the power of decision at the case's unit."""
    if step.actor is None:
        return []
    if not authority.may_decide(step.actor, step.obj.unit, on=step.now.date()):
        return [str(_("You hold no recorded chief representative authorisation with the power of decision for "
                      "this unit: nothing was decided."))]
    return []


CASE = Workflow(
    "window.case", model=Case, states=State, initial=State.RECEIVED, state_field="state", label=_("Window case"),
    select_related=("item", "item_version"),
    transitions=[
        Transition("notice", source=(State.RECEIVED, State.ACCEPTED), target=State.CORRECTING, capability=INTAKE,
                   event=EventType.UPDATE, label=_("Give the one-time correction notice")),
        Transition("return_received", source=(State.CORRECTING,), target=State.RECEIVED, capability=INTAKE,
                   event=EventType.UPDATE, label=_("Materials returned (before acceptance)")),
        Transition("return_accepted", source=(State.CORRECTING,), target=State.ACCEPTED, capability=INTAKE,
                   event=EventType.UPDATE, label=_("Materials returned (after acceptance)")),
        Transition("accept", source=(State.RECEIVED,), target=State.ACCEPTED, capability=INTAKE,
                   event=EventType.UPDATE, label=_("Accept"), stamp="accepted_at"),
        Transition("refuse", source=(State.RECEIVED, State.CORRECTING), target=State.REFUSED, capability=INTAKE,
                   event=EventType.UPDATE, label=_("Do not accept"), stamp="refused_at",
                   reason=_("why the application is not accepted"), reason_field="refusal_reason",
                   inputs=(Input("refusal_basis", required=True, label=_("legal basis"), audit="refusal_basis"),)),
        Transition("review", source=(State.ACCEPTED,), target=State.REVIEWED, capability=REVIEW,
                   event=EventType.UPDATE, label=_("Review"), stamp="reviewed_at",
                   inputs=(Input("review_opinion", required=True, label=_("review opinion"), audit="opinion"),)),
        Transition("decide", source=(State.REVIEWED,), target=State.DECIDED, capability=DECIDE,
                   event=EventType.UPDATE, label=_("Decide"), stamp="decided_at",
                   checks=("window.chief_authorised",),
                   inputs=(Input("outcome", required=True, label=_("decision"), audit="outcome"),
                           Input("decision_text", required=True, label=_("decision text")))),
        Transition("deliver", source=(State.DECIDED,), target=State.DELIVERED, capability=DELIVER,
                   event=EventType.UPDATE, label=_("Deliver"), stamp="delivered_at"),
    ],
)
