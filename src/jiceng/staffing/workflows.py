"""Leave requests (请销假) and breaches of discipline as declared workflows (core.workflow).

The effects of the leave on the posts (`staffing.leave_absence`, `staffing.leave_back`) need the
services' helpers and sit beside them in services.py (imported by StaffingConfig.ready() first).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core.models import EventType
from jiceng.core.workflow import Input, Step, Transition, Workflow, hook

from . import discipline
from .capabilities import ATTEND, MANAGE
from .models import Breach, BreachState, LeaveRequest, LeaveState


@hook("staffing.not_own_leave")
def _not_own_leave(step: Step) -> None:
    """The person deciding is not the one on leave."""
    if step.actor is not None and step.obj.worker.user_id == step.actor.pk:
        raise ValidationError(_("You cannot decide your own leave request."), code="own_leave")


@hook("staffing.own_leave")
def _own_leave(step: Step) -> None:
    """Only the person on leave (or the centre head) reports back."""
    from jiceng.core.scoping import holds

    if step.actor is not None and step.obj.worker.user_id != step.actor.pk \
            and not holds(step.actor, MANAGE, step.obj.unit):
        raise ValidationError(_("Only the person on leave or the centre head can end the leave."), code="not_own")


@hook("staffing.propose_again")
def _propose_again(step: Step) -> None:
    """The measure follows the rule on the count of confirmed breaches of the year as it is now."""
    breach = step.obj
    earlier = Breach.objects.filter(worker=breach.worker, state=BreachState.CONFIRMED,
                                    occurred_on__year=breach.occurred_on.year).exclude(pk=breach.pk).count()
    breach.measure = discipline.measure_for(earlier, bool(breach.exposed_by))
    breach.proposed_measure = breach.measure
    breach.confirmed_by = step.actor
    breach.save(update_fields=["measure", "proposed_measure", "confirmed_by"])
    step.audit_after["measure"] = breach.measure
    step.audit_after["confirmed_in_year_before"] = earlier


@hook("staffing.not_own_breach")
def _not_own_breach(step: Step) -> None:
    """The person confirming is not the one who breached."""
    if step.actor is not None and step.obj.worker.user_id == step.actor.pk:
        raise ValidationError(_("You cannot decide on your own breach."), code="own_breach")


LEAVE = Workflow(
    "staffing.leave",
    model=LeaveRequest,
    states=LeaveState,
    initial=LeaveState.REQUESTED,
    state_field="state",
    label=gettext_lazy("Leave request"),
    transitions=[
        Transition("approve", source=(LeaveState.REQUESTED,), target=LeaveState.APPROVED, capability=MANAGE,
                   event=EventType.UPDATE, label=gettext_lazy("Approve the leave"), stamp="decided_at",
                   checks=("staffing.not_own_leave",), effects=("staffing.leave_absence",),
                   inputs=(Input("decided_by", default=lambda s: s.actor), Input("decision_note"))),
        Transition("refuse", source=(LeaveState.REQUESTED,), target=LeaveState.REFUSED, capability=MANAGE,
                   event=EventType.UPDATE, label=gettext_lazy("Refuse the leave"), stamp="decided_at",
                   reason=gettext_lazy("why the leave is refused"), reason_field="decision_note",
                   checks=("staffing.not_own_leave",),
                   inputs=(Input("decided_by", default=lambda s: s.actor),)),
        Transition("back", source=(LeaveState.APPROVED,), target=LeaveState.RETURNED, capability=(ATTEND, MANAGE),
                   event=EventType.UPDATE, label=gettext_lazy("Report back (销假)"), stamp="returned_at",
                   checks=("staffing.own_leave",), effects=("staffing.leave_back",)),
    ],
)

BREACH = Workflow(
    "staffing.breach",
    model=Breach,
    states=BreachState,
    initial=BreachState.PROPOSED,
    state_field="state",
    label=gettext_lazy("Breach of discipline"),
    transitions=[
        Transition("confirm", source=(BreachState.PROPOSED,), target=BreachState.CONFIRMED, capability=MANAGE,
                   event=EventType.UPDATE, label=gettext_lazy("Confirm the breach and the measure"),
                   stamp="confirmed_at", checks=("staffing.not_own_breach",),
                   effects=("staffing.propose_again",), inputs=(Input("decision_note"),)),
        Transition("dismiss", source=(BreachState.PROPOSED,), target=BreachState.DISMISSED, capability=MANAGE,
                   event=EventType.UPDATE, label=gettext_lazy("Dismiss the breach"), stamp="confirmed_at",
                   reason=gettext_lazy("why the breach is dismissed"), reason_field="decision_note",
                   checks=("staffing.not_own_breach",)),
    ],
)
