"""The workflow kit (core/workflow.py) on a toy workflow over the Submission model.

The toy is declared here and never registered, so the docs and the real
submission workflow do not see it. Region and users: tests/conftest.py (the
office head of CA1, county A's reviewer, the head of CB1 in the sibling county).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from factories import CampaignFactory
from jiceng.assessments.capabilities import REVIEW, SELF_ASSESS
from jiceng.assessments.models import Status, Submission
from jiceng.core import workflow as kit
from jiceng.core.models import AuditEvent, EventType, Outcome
from jiceng.core.workflow import FileInput, Incomplete, Input, NotAllowed, StaleVersion, Transition, Workflow

CALLS: list[tuple[str, str, int, bool]] = []


@kit.hook("toy.notify")
def _notify(step):
    """Tell the reviewer (records the call)."""
    # What the effect sees: the new state, the bumped version, its audit row already written.
    CALLS.append(("notify", step.obj.status, step.obj.version, step.audit_row is not None))


@kit.hook("toy.deadline_stop")
def _deadline_stop(step):
    """Stop the review clock (records the call)."""
    CALLS.append(("deadline_stop", step.obj.status, step.obj.version, step.audit_row is not None))


@kit.hook("toy.mark_pilot")
def _mark_pilot(step):
    """Writes to the record, to show that a later failing effect undoes it."""
    step.obj.pilot = True
    step.obj.save(update_fields=["pilot"])


@kit.hook("toy.explode")
def _explode(step):
    """Always fails."""
    raise RuntimeError("the notification service is down")


@kit.hook("toy.scan_legible")
def _scan_legible(step):
    """Names what is missing as lines, like a completeness check."""
    return [] if step.values.get("county_opinion") != "illegible" else ["The scan cannot be read."]


def _toy(*, effects=("toy.notify",)) -> Workflow:
    return Workflow(
        "toy.submission", model=Submission, states=Status, initial=Status.DRAFT,
        select_related=("unit", "reviewer"),
        transitions=[
            Transition("send", source=(Status.DRAFT,), target=Status.SUBMITTED, label="Send",
                       capability=SELF_ASSESS, unit="unit", stamp="submitted_at", event=EventType.UPDATE,
                       effects=effects),
            Transition("send_back", source=(Status.SUBMITTED,), target=Status.RETURNED, label="Send back",
                       capability=REVIEW, unit="reviewer", reason="say what to fix.", reason_field="return_reason",
                       stamp="returned_at", event=EventType.UPDATE, effects=("toy.deadline_stop",)),
            Transition("approve", source=(Status.SUBMITTED,), target=Status.REVIEWED, label="Approve",
                       capability=REVIEW, unit="reviewer", event=EventType.UPDATE,
                       inputs=(Input("county_opinion", required=True, label="opinion", audit="opinion"),),
                       files=(FileInput("scan", label="signed scan"),), checks=("toy.scan_legible",)),
        ],
    )


@pytest.fixture(autouse=True)
def _english():
    CALLS.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def sub(region, users):
    campaign = CampaignFactory(organiser=region.city)
    return Submission.objects.get(campaign=campaign, unit=region.office_a1)


def _stored(sub) -> tuple:
    row = Submission.objects.get(pk=sub.pk)
    return row.status, row.version, row.return_reason, row.county_opinion, row.pilot, row.submitted_at


def _trail(sub) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="assessments.submission", object_id=str(sub.pk),
                                          event_type=EventType.UPDATE).values_list("details__transition", flat=True))


def test_an_allowed_transition_changes_state_writes_its_audit_row_and_bumps_the_version(sub, users):
    done = _toy().perform(sub, "send", actor=users["office_head"], expected_version=1)
    row = Submission.objects.get(pk=sub.pk)
    assert (row.status, row.version) == (Status.SUBMITTED, 2) and row.submitted_at is not None
    assert done.version == 2
    event = AuditEvent.objects.get(object_id=str(sub.pk), event_type=EventType.UPDATE)
    assert event.before == {"status": "draft"} and event.after == {"status": "submitted"}
    assert event.details == {"transition": "toy.submission.send"} and event.actor_name == "office_head"


def test_the_step_is_one_transaction_a_failing_audit_write_leaves_nothing(sub, users, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(kit.audit, "record", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        _toy().perform(sub, "send", actor=users["office_head"], expected_version=1)
    assert _stored(sub)[:2] == (Status.DRAFT, 1)


def test_a_transition_the_table_does_not_allow_names_the_state_and_what_is_allowed(sub, users):
    before = _stored(sub)
    with pytest.raises(NotAllowed) as exc:
        _toy().perform(sub, "send_back", actor=users["county_reviewer"], expected_version=1, reason="x")
    message = exc.value.messages[0]
    assert "“Send back” is not possible while the record is “Draft”" in message
    assert "Send (→ Submitted)" in message
    assert exc.value.state == "draft" and exc.value.allowed == ["send"]
    assert _stored(sub) == before and _trail(sub) == []


def test_a_state_with_no_way_on_says_so(sub, users):
    Submission.objects.filter(pk=sub.pk).update(status=Status.PUBLISHED)
    with pytest.raises(NotAllowed, match="no step leads on from there") as exc:
        _toy().perform(sub, "send", actor=users["office_head"], expected_version=1)
    assert exc.value.allowed == []


def test_a_stale_version_is_refused_naming_both_versions_and_nothing_changes(sub, users):
    toy = _toy()
    toy.perform(sub, "send", actor=users["office_head"], expected_version=1)
    before = _stored(sub)
    with pytest.raises(StaleVersion) as exc:
        toy.perform(sub, "send_back", actor=users["county_reviewer"], expected_version=1, reason="缺照片")
    assert "version 2, yours was 1" in exc.value.messages[0]
    assert exc.value.current == {"version": 2, "status": "submitted"} and exc.value.yours == 1
    assert _stored(sub) == before and _trail(sub) == ["toy.submission.send"]


def test_a_missing_reason_is_refused_and_nothing_changes(sub, users):
    toy = _toy()
    toy.perform(sub, "send", actor=users["office_head"], expected_version=1)
    before = _stored(sub)
    with pytest.raises(ValidationError) as exc:
        toy.perform(sub, "send_back", actor=users["county_reviewer"], expected_version=2, reason="  ")
    assert exc.value.message_dict == {"reason": ["A reason is required: say what to fix."]}
    assert _stored(sub) == before and CALLS == [("notify", "submitted", 2, True)]


def test_the_reason_is_stored_in_its_field_and_audited(sub, users):
    toy = _toy()
    toy.perform(sub, "send", actor=users["office_head"], expected_version=1)
    toy.perform(sub, "send_back", actor=users["county_reviewer"], expected_version=2, reason=" 缺少标识照片 ")
    assert _stored(sub)[:3] == (Status.RETURNED, 3, "缺少标识照片")
    assert AuditEvent.objects.filter(object_id=str(sub.pk)).latest("seq").reason == "缺少标识照片"


def test_missing_inputs_files_and_check_lines_are_reported_together_and_nothing_changes(sub, users):
    toy = _toy()
    toy.perform(sub, "send", actor=users["office_head"], expected_version=1)
    before = _stored(sub)
    with pytest.raises(Incomplete) as exc:
        toy.perform(sub, "approve", actor=users["county_reviewer"], expected_version=2,
                    values={"county_opinion": " "})
    assert exc.value.missing == ["opinion: not given.", "signed scan: no file given."]
    assert exc.value.messages[0] == "“Approve” cannot be done yet:"
    with pytest.raises(Incomplete) as exc:
        toy.perform(sub, "approve", actor=users["county_reviewer"], expected_version=2,
                    values={"county_opinion": "illegible"}, files={"scan": ["scan.pdf"]})
    assert exc.value.missing == ["The scan cannot be read."]
    assert _stored(sub) == before


def test_given_inputs_are_stored_and_audited_and_unknown_ones_refused(sub, users):
    toy = _toy()
    toy.perform(sub, "send", actor=users["office_head"], expected_version=1)
    with pytest.raises(ValidationError) as exc:
        toy.perform(sub, "approve", actor=users["county_reviewer"], expected_version=2,
                    values={"county_opinion": "好", "status": "published"}, files={"scan": ["scan.pdf"]})
    assert exc.value.message_dict == {"status": ["This field cannot be changed here."]}
    assert _stored(sub)[:2] == (Status.SUBMITTED, 2)
    toy.perform(sub, "approve", actor=users["county_reviewer"], expected_version=2,
                values={"county_opinion": " 同意 "}, files={"scan": ["scan.pdf"]})
    assert _stored(sub)[:4] == (Status.REVIEWED, 3, "", "同意")
    assert AuditEvent.objects.filter(object_id=str(sub.pk)).latest("seq").after == {
        "status": "reviewed", "opinion": "同意"}


@pytest.mark.parametrize("who", ["window_staff", "county_reviewer", "no_role"])
def test_an_actor_without_the_capability_is_refused_with_the_audited_404(sub, users, who):
    before = _stored(sub)
    with pytest.raises(Http404):
        _toy().perform(sub, "send", actor=users[who], expected_version=1)
    assert _stored(sub) == before and CALLS == []
    refusal = AuditEvent.objects.get(event_type=EventType.ACCESS_DENIED, object_id=str(sub.pk))
    assert refusal.outcome == Outcome.DENIED and refusal.actor_name == who
    assert refusal.details["action"] == SELF_ASSESS and refusal.details["transition"] == "toy.submission.send"


def test_an_actor_holding_the_capability_elsewhere_is_out_of_scope(sub, users):
    before = _stored(sub)
    # The head of CB1 holds SELF_ASSESS, but over the sibling county's office.
    with pytest.raises(Http404):
        _toy().perform(sub, "send", actor=users["other_county_head"], expected_version=1)
    assert _stored(sub) == before
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor_name="other_county_head").exists()


def test_the_capability_is_checked_over_the_unit_the_transition_names(sub, users):
    toy = _toy()
    toy.perform(sub, "send", actor=users["office_head"], expected_version=1)
    # The office head holds VIEW and EDIT over CA1 but REVIEW is held over the reviewer (county A).
    with pytest.raises(Http404):
        toy.perform(sub, "send_back", actor=users["office_head"], expected_version=2, reason="x")
    assert toy.may(users["county_reviewer"], Submission.objects.get(pk=sub.pk), "send_back")
    assert not toy.may(users["office_head"], Submission.objects.get(pk=sub.pk), "send_back")
    assert _stored(sub)[:2] == (Status.SUBMITTED, 2)


def test_effect_hooks_run_after_the_audit_row_in_declared_order(sub, users):
    toy = _toy(effects=("toy.notify", "toy.deadline_stop"))
    toy.perform(sub, "send", actor=users["office_head"], expected_version=1)
    assert CALLS == [("notify", "submitted", 2, True), ("deadline_stop", "submitted", 2, True)]


def test_a_failing_effect_rolls_the_whole_step_back(sub, users):
    toy = _toy(effects=("toy.mark_pilot", "toy.explode"))
    before = _stored(sub)
    with pytest.raises(RuntimeError, match="notification service is down"):
        toy.perform(sub, "send", actor=users["office_head"], expected_version=1)
    assert _stored(sub) == before  # state, version, stamp and the first effect's write: all undone
    assert _trail(sub) == []


def test_the_transitioned_signal_is_sent_inside_the_step(sub, users):
    seen = []

    def receiver(sender, instance, workflow, transition, actor, source, target, **kwargs):
        seen.append((sender, instance.pk, transition.name, actor.username, source, target))

    kit.transitioned.connect(receiver)
    try:
        _toy().perform(sub, "send", actor=users["office_head"], expected_version=1)
    finally:
        kit.transitioned.disconnect(receiver)
    assert seen == [(Submission, sub.pk, "send", "office_head", "draft", "submitted")]


def test_the_version_may_only_be_omitted_by_a_batch_holding_the_lock(sub, users):
    with pytest.raises(ValueError, match="expected_version"):
        _toy().perform(sub, "send", actor=users["office_head"], expected_version=None)
    assert _stored(sub)[:2] == (Status.DRAFT, 1)


def test_a_declaration_is_checked_when_it_is_made_and_registered():
    with pytest.raises(ValueError, match="'closed' is not a state"):
        Workflow("toy.bad", model=Submission, states=Status, initial=Status.DRAFT, transitions=[
            Transition("x", source=(Status.DRAFT,), target="closed", capability=SELF_ASSESS, event="x")])
    with pytest.raises(ValueError, match="declared twice"):
        Workflow("toy.bad", model=Submission, states=Status, initial=Status.DRAFT, transitions=[
            Transition("x", source=(Status.DRAFT,), target=Status.SUBMITTED, capability=SELF_ASSESS, event="x"),
            Transition("x", source=(Status.DRAFT,), target=Status.RETURNED, capability=SELF_ASSESS, event="x")])
    unhooked = Workflow("toy.unhooked", model=Submission, states=Status, initial=Status.DRAFT, transitions=[
        Transition("x", source=(Status.DRAFT,), target=Status.SUBMITTED, capability=SELF_ASSESS, event="x",
                   effects=("toy.nowhere",))])
    with pytest.raises(ValueError, match="no workflow hook named 'toy.nowhere'"):
        kit.register(unhooked)
    assert "toy.unhooked" not in {wf.name for wf in kit.registered()}


def test_the_submission_workflow_is_registered_from_the_app():
    wf = kit.get("assessments.submission")
    assert wf.model is Submission
    assert set(wf.transitions) == {"submit", "return", "forward", "audit", "publish"}
    assert [t.name for t in wf.allowed_from(Status.SUBMITTED)] == ["return", "forward"]


def test_the_submission_services_refuse_a_step_from_the_wrong_state_with_the_kits_message(sub, users):
    from jiceng.assessments import services

    with pytest.raises(NotAllowed) as exc:
        services.submission_return(actor=users["county_reviewer"], submission=sub, expected_version=1, reason="x")
    assert exc.value.state == "draft" and exc.value.allowed == ["submit"]
    assert "“Return to the office” is not possible while the record is “Draft”" in exc.value.messages[0]
    assert "Submit to the county (→ Submitted)" in exc.value.messages[0]
    assert _stored(sub)[:3] == (Status.DRAFT, 1, "")
    with translation.override("zh-hans"):
        with pytest.raises(NotAllowed) as exc:
            services.submission_forward(actor=users["county_reviewer"], submission=sub, expected_version=1,
                                        opinion="好")
    assert exc.value.messages[0] == "记录处于“草稿”状态，不能执行“上报市局”；该状态下允许的操作：提交县局 (→ 已提交)。"
