"""The submission's workflow as data: draft → submitted → (returned | reviewed) → audited → published.

Registered from AssessmentsConfig.ready() and drawn into docs/workflows.md by
`jiceng workflows --write`. The services (services/submissions.py, reviews.py,
outcomes.py) call `SUBMISSION.perform(...)`; the checks and effects named here
are named hooks: the ones that need only the models are below, the ones that
need a service's helpers sit beside those helpers in services/ (imported by
AssessmentsConfig.ready() before the workflow is registered).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core.models import EventType
from jiceng.core.workflow import Input, Step, Transition, Workflow, hook

from .capabilities import AUDIT_ASSESSMENTS, BUREAU_SELF, GROUP_SCORE, PUBLISH, REVIEW, SELF_ASSESS
from .models import Level, Status, Submission

# --- checks and effects ----------------------------------------------------------------------------------


@hook("assessments.submit_open")
def _submit_open(step: Step) -> None:
    """The self-evaluation deadline (or the submission's extension) has not passed."""
    from . import deadlines

    closed = deadlines.submit_closed(step.obj) if step.actor is not None else None
    if closed:
        raise ValidationError(closed, code="deadline_passed")




@hook("assessments.opinion_date")
def _opinion_date(step: Step) -> None:
    """The county's opinion date (考评意见的日期) is not in the future."""
    given = step.values.get("opinion_date")
    today = timezone.localdate()
    if given and given > today:
        raise ValidationError({"opinion_date": _(
            "The date of the opinion (%(date)s) is in the future; give today (%(today)s) or an earlier day.")
            % {"date": f"{given:%Y-%m-%d}", "today": f"{today:%Y-%m-%d}"}})


@hook("assessments.city_after_county")
def _city_after_county(step: Step) -> None:
    """The city's date (the day the audit closes) is not before the county's opinion date."""
    county = step.obj.opinion_date
    today = timezone.localdate()
    if county and today < county:
        raise ValidationError(_(
            "The city's date (%(today)s) would be before the county's opinion date (%(date)s); the county's date "
            "must be corrected first.") % {"date": f"{county:%Y-%m-%d}", "today": f"{today:%Y-%m-%d}"})


@hook("assessments.in_scope")
def _in_scope(step: Step) -> None:
    """The record lies in the actor's scope for the step's action (Submission.scope_rules).

    The capability check holds a capability over a unit's subtree; a county bureau's own
    submission (BUREAU_SELF, GROUP_SCORE) is opened only through `bureau` / `group`, so an
    office's submission under the same county is never reached through them.
    """
    if step.actor is None:
        return
    action = step.transition.meta["scope"]
    if not Submission.objects.restrict(step.actor, action).filter(pk=step.obj.pk).exists():
        raise ValidationError(_("This submission is not yours to act on."))


@hook("assessments.under_audit")
def _under_audit(step: Step) -> None:
    """The submission is in the audit sample (needs_audit)."""
    if not step.obj.needs_audit:
        raise ValidationError(_("This submission is not under audit."))




def _current_values(sub: Submission, transition: Transition) -> dict:
    from .services._common import _current_values as values

    return values(sub, transition.meta.get("level"))


# --- the declaration ------------------------------------------------------------------------------------

SUBMISSION = Workflow(
    "assessments.submission",
    model=Submission,
    states=Status,
    initial=Status.DRAFT,
    label=gettext_lazy("Assessment submission"),
    select_related=("campaign", "campaign__unit", "unit", "reviewer", "auditor"),
    stale_message=gettext_lazy(
        "Someone else saved this submission in the meantime (version %(current)s, yours was %(yours)s). "
        "Nothing was saved; the current values are shown."
    ),
    current_values=_current_values,
    transitions=[
        Transition(
            "submit", source=(Status.DRAFT, Status.RETURNED), target=Status.SUBMITTED,
            label=gettext_lazy("Submit to the county"),
            capability=(SELF_ASSESS, BUREAU_SELF), unit="unit",
            checks=("assessments.in_scope", "assessments.submit_open", "assessments.self_complete",
                    "assessments.self_check"),
            incomplete=gettext_lazy("The submission is not complete:"),
            stamp="submitted_at", event=EventType.ASSESSMENT_SUBMIT,
            meta={"level": Level.SELF, "scope": SELF_ASSESS},
        ),
        Transition(
            "return", source=(Status.SUBMITTED,), target=Status.RETURNED,
            label=gettext_lazy("Return to the office"),
            capability=(REVIEW, GROUP_SCORE), unit="reviewer",
            checks=("assessments.in_scope",),
            reason=gettext_lazy("tell the office what to fix."), reason_field="return_reason",
            stamp="returned_at", event=EventType.ASSESSMENT_RETURN, meta={"scope": REVIEW},
        ),
        Transition(
            "forward", source=(Status.SUBMITTED,), target=Status.REVIEWED,
            label=gettext_lazy("Forward to the city"),
            capability=(REVIEW, GROUP_SCORE), unit="reviewer",
            checks=("assessments.in_scope", "assessments.opinion_date", "assessments.review_complete"),
            inputs=(
                Input("county_opinion", required=True, audit="opinion",
                      missing=gettext_lazy("The county's opinion (考评意见) is empty.")),
                Input("opinion_date", default=lambda step: timezone.localdate(), audit="opinion_date"),
            ),
            incomplete=gettext_lazy("The review is not complete:"),
            effects=("assessments.false_data_flag",),
            stamp="reviewed_at", event=EventType.ASSESSMENT_FORWARD, meta={"level": Level.COUNTY, "scope": REVIEW},
        ),
        Transition(
            "audit", source=(Status.REVIEWED,), target=Status.AUDITED,
            label=gettext_lazy("Close the audit"),
            # The city audits; in cross-check mode the auditing unit is another county's bureau.
            capability=(AUDIT_ASSESSMENTS, REVIEW), unit="auditor",
            checks=("assessments.under_audit", "assessments.city_after_county"),
            inputs=(Input("audit_opinion", audit="opinion"),),
            effects=("assessments.false_data_flag",),
            stamp="audited_at", event=EventType.ASSESSMENT_AUDIT, meta={"level": Level.CITY},
        ),
        Transition(
            "publish", source=(Status.REVIEWED, Status.AUDITED), target=Status.PUBLISHED,
            label=gettext_lazy("Publish the result"),
            capability=PUBLISH, unit="campaign.unit",
            checks=("assessments.ready_to_publish",),
            stamp="published_at", event=EventType.ASSESSMENT_PUBLISH,
        ),
    ],
)
