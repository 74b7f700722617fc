"""The violation case (违法案件) as a declared workflow, with its statutory timers as effects.

found → check (初查, 3 working days of discovery) → stop order (责令停止违法行为通知书, served at once and
reported the same day) → [the stop failed: written report to the township and the superior bureau,
copied to 发改, 规划, 建设, 林业, 农业, 水利] → file (立案, 立案审批表) → investigate → notify
(行政处罚告知书; 陈述申辩 and 听证 request within 5 working days) → [法制审核 for a major case] → decide
(行政处罚决定书, within 90 calendar days of filing unless extended) → serve (within 7 days) → execute
(payment within 15 days, late fee 3 % a day up to the fine) → close (结案报告) → archive (checklist).

Every step is by an officer holding a valid enforcement certificate on the day of the step (seed 001 1.4).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core.models import EventType
from jiceng.core.workflow import Input, Transition, Workflow, hook

from . import deadlines
from .capabilities import CASE_APPROVE, CASE_WORK
from .clock import compute
from .fees import late_fee
from .models import ARCHIVE_CHECKLIST, COPY_DEPARTMENTS, Case, CaseState, DocumentKind, Execution, Officer

S = CaseState


def _day(step, name: str) -> date:
    value = step.values.get(name)
    if isinstance(value, str) and value:
        value = date.fromisoformat(value)
    return value or timezone.localtime(step.now).date()


def _today(step) -> date:
    return timezone.localtime(step.now).date()


def _on(field: str):
    return Input(field, default=lambda step: _today(step), audit=field)


# --- checks --------------------------------------------------------------------------------------------


@hook("enforcement.certified")
def certified(step):
    """The officer holds an enforcement certificate valid on the day of the step (seed 001 1.4)."""
    if step.actor is None:
        return []
    officer = Officer.objects.filter(user=step.actor).first()
    day = _today(step)
    if officer is None:
        return [_("%(user)s holds no enforcement certificate; only certified officers may handle cases.")
                % {"user": step.actor.get_username()}]
    if not officer.valid_on(day):
        return [_("The enforcement certificate %(number)s of %(name)s is valid from %(start)s to %(end)s, "
                  "not on %(day)s.") % {"number": officer.certificate_no, "name": officer.name,
                                        "start": officer.valid_from, "end": officer.valid_to, "day": day}]
    return []


def _document_check(kind):
    def check(step):
        if not step.obj.documents.filter(kind=kind).exists():
            return [_("Generate the %(document)s first.") % {"document": DocumentKind(kind).label}]
        return []

    check.__doc__ = f"The case has its {kind} document."
    check.__qualname__ = f"document_{kind}"
    return hook(f"enforcement.document_{kind}")(check)


for _kind in DocumentKind.values:
    _document_check(_kind)


@hook("enforcement.statement_period_over")
def statement_period_over(step):
    """The period for statement and defence (and a hearing request) is over, or the hearing was held."""
    case, day = step.obj, _today(step)
    due = max(d for d in (case.statement_due, case.hearing_request_due) if d) if case.statement_due else None
    if due is not None and day <= due and not case.hearing_on:
        return [_("The party may still state a defence or ask for a hearing until %(due)s.") % {"due": due}]
    if case.hearing_requested and not case.hearing_on:
        return [_("The party asked for a hearing; record the hearing first.")]
    return []


@hook("enforcement.major_reviewed")
def major_reviewed(step):
    """A major case has passed the legal review (法制审核) before its decision."""
    if step.obj.major and not step.obj.reviewed_on:
        return [_("A major case needs the legal review (法制审核) before the decision.")]
    return []


@hook("enforcement.within_decision_deadline")
def within_decision_deadline(step):
    """The decision is made within 90 calendar days of filing, or within an approved extension (第六十条)."""
    case, day = step.obj, _day(step, "decided_on")
    deadline = case.decision_deadline_value
    if deadline is not None and deadline.due is not None and day > deadline.due:
        return [_("The decision is due by %(due)s (%(explain)s); a decision on %(day)s needs an approved extension.")
                % {"due": deadline.due, "explain": deadline.explain(), "day": day}]
    return []


@hook("enforcement.fine_covered")
def fine_covered(step):
    """A paid fine covers the fine and the late fee due on the day of payment."""
    case = step.obj
    if step.values.get("execution") != Execution.PAID:
        return []
    day = _day(step, "executed_on")
    owed = case.fine + late_fee(case.fine, case.payment_due, day)
    paid = step.values.get("paid_amount")
    if paid is None or paid < owed:
        return [_("%(owed)s yuan is owed on %(day)s (fine plus late fee); %(paid)s was entered.")
                % {"owed": owed, "day": day, "paid": paid if paid is not None else 0}]
    return []


@hook("enforcement.archive_complete")
def archive_complete(step):
    """Every item of the archive checklist is ticked (seed 001 4.1-4.3)."""
    ticked = step.obj.archive_checklist or {}
    missing = [str(label) for key, label in ARCHIVE_CHECKLIST if not ticked.get(key)]
    if missing:
        return [_("The case file is missing: %(items)s.") % {"items": _("; ").join(missing)}]
    return []


# --- effects -------------------------------------------------------------------------------------------


def _set(case, deadline, *fields):
    case.set_deadline(deadline)
    case.save(update_fields=["deadline_data", "due_on", *fields])


@hook("enforcement.on_checked")
def on_checked(step):
    """The initial check is done: no step clock until the filing (the stop order is served at once)."""
    _set(step.obj, None)


@hook("enforcement.on_filed")
def on_filed(step):
    """Start the 90-calendar-day decision clock from the filing (行政处罚法 第六十条)."""
    case = step.obj
    deadline = compute(deadlines.DECISION, case.filed_on)
    case.decision_deadline = deadline.to_json()
    _set(case, deadline, "decision_deadline")


@hook("enforcement.on_notified")
def on_notified(step):
    """The statement and hearing-request periods: 5 working days from the notice."""
    case = step.obj
    case.statement_due = compute(deadlines.STATEMENT, case.notified_on).due
    case.hearing_request_due = compute(deadlines.HEARING_REQUEST, case.notified_on).due \
        if case.hearing_qualifies else None
    case.save(update_fields=["statement_due", "hearing_request_due"])


@hook("enforcement.on_decided")
def on_decided(step):
    """Serve the decision within 7 days (第六十一条)."""
    _set(step.obj, compute(deadlines.SERVICE, step.obj.decided_on))


@hook("enforcement.on_served")
def on_served(step):
    """The decision takes effect on service: publication within 20 days, payment within 15 days."""
    case = step.obj
    case.effective_on = case.served_on
    case.publication_due = compute(deadlines.PUBLICATION, case.effective_on).due
    payment = compute(deadlines.PAYMENT, case.served_on)
    case.payment_due = payment.due
    _set(case, payment, "effective_on", "publication_due", "payment_due")


@hook("enforcement.on_ended")
def on_ended(step):
    """No step clock after execution."""
    _set(step.obj, None)


def _t(name, source, target, label, *, inputs=(), checks=(), effects=(), capability=CASE_WORK, stamp=None):
    return Transition(name, source=tuple(source), target=target, capability=capability, unit="unit", label=label,
                      event=EventType.UPDATE, inputs=tuple(inputs), checks=("enforcement.certified", *checks),
                      effects=tuple(effects), stamp=stamp)


CASE = Workflow(
    "enforcement.case", model=Case, states=CaseState, initial=S.FOUND, state_field="state",
    label=gettext_lazy("Violation case"),
    transitions=[
        _t("check", [S.FOUND], S.CHECKED, gettext_lazy("Initial check"),
           inputs=[_on("checked_on"), Input("check_findings", required=True, label=gettext_lazy("Findings"))],
           effects=["enforcement.on_checked"]),
        _t("stop_order", [S.CHECKED], S.STOP_ORDERED, gettext_lazy("Serve the stop order"),
           inputs=[_on("stop_served_on"), _on("stop_reported_on")], checks=["enforcement.document_stop_order"]),
        _t("escalate", [S.STOP_ORDERED], S.ESCALATED, gettext_lazy("Report the failed stop"),
           inputs=[_on("escalated_on"), Input("copied_to", default=lambda step: "、".join(COPY_DEPARTMENTS),
                                              audit="copied_to")]),
        _t("file", [S.CHECKED, S.STOP_ORDERED, S.ESCALATED], S.FILED, gettext_lazy("File the case"),
           capability=CASE_APPROVE, inputs=[_on("filed_on"), Input("public_filing", default=lambda s: False,
                                                                   audit="public_filing")],
           checks=["enforcement.document_filing"], effects=["enforcement.on_filed"]),
        _t("investigate", [S.FILED], S.INVESTIGATED, gettext_lazy("End the investigation"),
           inputs=[Input("investigation_summary", required=True, label=gettext_lazy("Investigation findings"))]),
        _t("notify", [S.INVESTIGATED], S.NOTIFIED, gettext_lazy("Serve the penalty notice"),
           inputs=[_on("notified_on")], checks=["enforcement.document_notice"], effects=["enforcement.on_notified"]),
        _t("legal_review", [S.NOTIFIED], S.REVIEWED, gettext_lazy("Legal review"),
           inputs=[_on("reviewed_on"), Input("review_opinion", required=True, label=gettext_lazy("Opinion"))],
           checks=["enforcement.statement_period_over"]),
        _t("decide", [S.NOTIFIED, S.REVIEWED], S.DECIDED, gettext_lazy("Make the decision"), capability=CASE_APPROVE,
           inputs=[_on("decided_on")],
           checks=["enforcement.statement_period_over", "enforcement.major_reviewed",
                   "enforcement.within_decision_deadline", "enforcement.document_decision"],
           effects=["enforcement.on_decided"]),
        _t("serve", [S.DECIDED], S.SERVED, gettext_lazy("Serve the decision"), inputs=[_on("served_on")],
           effects=["enforcement.on_served"]),
        _t("execute", [S.SERVED], S.EXECUTED, gettext_lazy("Record the execution"),
           inputs=[_on("executed_on"), Input("execution", required=True, label=gettext_lazy("Execution"),
                                             audit="execution"),
                   Input("paid_amount", audit="paid_amount")],
           checks=["enforcement.fine_covered"], effects=["enforcement.on_ended"]),
        _t("close", [S.EXECUTED], S.CLOSED, gettext_lazy("Close the case"),
           inputs=[Input("closing_summary", required=True, label=gettext_lazy("Closing summary"))],
           checks=["enforcement.document_closing"], stamp="closed_at"),
        _t("archive", [S.CLOSED], S.ARCHIVED, gettext_lazy("Archive the file"), inputs=[_on("archived_on")],
           checks=["enforcement.archive_complete"]),
    ],
)

# The documents each state may draft (the step that needs it comes next).
DRAFTABLE = {
    DocumentKind.STOP_ORDER: (S.CHECKED,),
    DocumentKind.FILING: (S.CHECKED, S.STOP_ORDERED, S.ESCALATED),
    DocumentKind.NOTICE: (S.INVESTIGATED,),
    DocumentKind.DECISION: (S.NOTIFIED, S.REVIEWED),
    DocumentKind.CLOSING: (S.EXECUTED,),
}
