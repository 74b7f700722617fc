"""The rectification of a 差评 as a declared workflow (core.workflow).

open (verify and call back) → called_back (fix) → fixed | explained; the staff member may appeal a
mistaken rating from called_back (申诉复核), decided by someone above who is not the rated person:
upheld → annulled (the rating no longer counts), refused → back to called_back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core.models import EventType
from jiceng.core.scoping import holds
from jiceng.core.workflow import Input, Step, Transition, Workflow, hook

from .capabilities import RECTIFY, REVIEW
from .models import Rectification, RectificationState

S = RectificationState


@hook("ratings.owner_or_reviewer")
def _owner_or_reviewer(step: Step) -> None:
    """The responsible staff member (谁办理谁负责) or the centre head acts."""
    actor = step.actor
    if actor is not None and step.obj.owner_id != actor.pk and not holds(actor, REVIEW, step.obj.unit):
        raise ValidationError(_("Only %(name)s, who handled the case, or the centre head can do this.")
                              % {"name": step.obj.owner}, code="not_owner")


@hook("ratings.owner_only")
def _owner_only(step: Step) -> None:
    """Only the rated staff member appeals."""
    if step.actor is not None and step.obj.owner_id != step.actor.pk:
        raise ValidationError(_("Only the rated staff member can appeal the rating."), code="not_owner")


@hook("ratings.not_the_rated_person")
def _not_rated(step: Step) -> None:
    """The appeal is decided by someone other than the rated person."""
    if step.actor is not None and step.actor.pk in (step.obj.owner_id, step.obj.rating.handler_id):
        raise ValidationError(_("The rated person cannot decide their own appeal: someone above decides."),
                              code="own_appeal")


@hook("ratings.fix_clock")
def _fix_clock(step: Step) -> None:
    """After the call-back the row's clock is the fix deadline."""
    from jiceng.core.deadlines import Deadline
    from jiceng.core.workdays import calendar

    from . import deadlines

    row = step.obj
    row.set_deadline(Deadline.compute(calendar(), deadlines.fix_rule(), row.rating.rated_on))
    row.save(update_fields=["deadline_data", "due_on"])


@hook("ratings.annul_rating")
def _annul(step: Step) -> None:
    """The appeal is upheld: the rating is annulled and no longer counts in the figures."""
    rating = step.obj.rating
    rating.annulled = True
    rating.save(update_fields=["annulled"])
    step.audit_after["rating_annulled"] = rating.pk


def _actor(step: Step):
    return step.actor


RECTIFICATION = Workflow(
    "ratings.rectification",
    model=Rectification,
    states=RectificationState,
    initial=S.OPEN,
    state_field="state",
    label=gettext_lazy("Rectification of a poor rating"),
    select_related=("rating", "owner"),
    transitions=[
        Transition("call_back", source=(S.OPEN,), target=S.CALLED_BACK, capability=(RECTIFY, REVIEW),
                   event=EventType.UPDATE, label=gettext_lazy("Record the call-back (回访)"), stamp="called_back_at",
                   checks=("ratings.owner_or_reviewer",), effects=("ratings.fix_clock",),
                   inputs=(Input("callback_note", required=True, label=gettext_lazy("call-back record"),
                                 audit="callback_note"),)),
        Transition("fix", source=(S.CALLED_BACK,), target=S.FIXED, capability=(RECTIFY, REVIEW),
                   event=EventType.UPDATE, label=gettext_lazy("Fixed"), stamp="closed_at",
                   checks=("ratings.owner_or_reviewer",),
                   inputs=(Input("fix_note", required=True, label=gettext_lazy("what was fixed"), audit="fix_note"),)),
        Transition("explain", source=(S.CALLED_BACK,), target=S.EXPLAINED, capability=(RECTIFY, REVIEW),
                   event=EventType.UPDATE, label=gettext_lazy("Explain: the complaint has no legal basis"),
                   stamp="closed_at", checks=("ratings.owner_or_reviewer",),
                   inputs=(Input("explanation", required=True, label=gettext_lazy("explanation (no legal basis)"),
                                 audit="explanation"),)),
        Transition("appeal", source=(S.CALLED_BACK,), target=S.APPEALED, capability=RECTIFY,
                   event=EventType.UPDATE, label=gettext_lazy("Appeal a mistaken rating (申诉)"), stamp="appealed_at",
                   checks=("ratings.owner_only",),
                   inputs=(Input("appeal_reason", required=True, label=gettext_lazy("appeal"), audit="appeal"),)),
        Transition("uphold", source=(S.APPEALED,), target=S.ANNULLED, capability=REVIEW, event=EventType.UPDATE,
                   label=gettext_lazy("Uphold the appeal (rating annulled)"), stamp="closed_at",
                   checks=("ratings.not_the_rated_person",), effects=("ratings.annul_rating",),
                   inputs=(Input("appeal_decision", required=True, label=gettext_lazy("appeal decision"),
                                 audit="decision"), Input("decided_by", default=_actor))),
        Transition("refuse_appeal", source=(S.APPEALED,), target=S.CALLED_BACK, capability=REVIEW,
                   event=EventType.UPDATE, label=gettext_lazy("Refuse the appeal (the rating stands)"),
                   checks=("ratings.not_the_rated_person",),
                   inputs=(Input("appeal_decision", required=True, label=gettext_lazy("appeal decision"),
                                 audit="decision"), Input("decided_by", default=_actor))),
    ],
)

STEPS = {name: t for name, t in RECTIFICATION.transitions.items()}
