"""Seed 002's escalation, proposed by the rule and confirmed by a person; sign-in breaches; leave."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from jiceng.core.models import AuditEvent
from jiceng.core.workflow import NotAllowed
from jiceng.staffing import discipline, services
from jiceng.staffing.models import Breach, LeaveRequest, SignIn

from .helpers import centre_head, worker

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_measure_for_counts_and_exposure():
    assert discipline.measure_for(0, False) == "warning"
    assert discipline.measure_for(1, False) == "notice"
    assert discipline.measure_for(2, False) == "discipline"
    assert discipline.measure_for(7, False) == "discipline"
    assert discipline.measure_for(0, True) == "discipline"


def _confirm(head, breach):
    return services.breach_step(actor=head, breach=breach, step="confirm", expected_version=breach.version)


def test_three_confirmed_breaches_escalate_and_the_year_restarts_the_count(region):
    head = centre_head(region)
    w = worker(region, "w1")
    measures = []
    for day in (date(2026, 3, 2), date(2026, 5, 6), date(2026, 9, 9)):
        breach = services.breach_record(actor=head, worker=w, kind="phone", occurred_on=day)
        measures.append(_confirm(head, breach).measure)
    assert measures == ["warning", "notice", "discipline"]
    # another year: a first breach again (period of counting: the calendar year)
    Breach.objects.filter(worker=w).update(occurred_on=date(2025, 6, 1))
    breach = services.breach_record(actor=head, worker=w, kind="late", occurred_on=date(2026, 1, 5))
    assert breach.proposed_measure == "warning"


def test_exposure_by_the_media_is_discipline_at_once(region):
    head = centre_head(region)
    w = worker(region, "w1")
    breach = services.breach_record(actor=head, worker=w, kind="off_post", occurred_on=date(2026, 4, 1),
                                    exposed_by="media")
    assert breach.proposed_measure == "discipline"
    assert _confirm(head, breach).measure == "discipline"


def test_a_dismissed_breach_does_not_count_and_the_proposal_is_recomputed_on_confirmation(region):
    head = centre_head(region)
    w = worker(region, "w1")
    first = services.breach_record(actor=head, worker=w, kind="wandering", occurred_on=date(2026, 2, 2))
    second = services.breach_record(actor=head, worker=w, kind="phone", occurred_on=date(2026, 2, 3))
    assert second.proposed_measure == "warning"  # nothing confirmed yet
    services.breach_step(actor=head, breach=first, step="dismiss", expected_version=first.version,
                         note="监控核实不属实")
    assert _confirm(head, second).measure == "warning"
    third = services.breach_record(actor=head, worker=w, kind="phone", occurred_on=date(2026, 2, 4))
    assert _confirm(head, third).measure == "notice"


def test_confirming_twice_is_refused_and_changes_nothing(region):
    head = centre_head(region)
    w = worker(region, "w1")
    breach = services.breach_record(actor=head, worker=w, kind="phone", occurred_on=date(2026, 2, 2))
    done = _confirm(head, breach)
    events = AuditEvent.objects.count()
    with pytest.raises(NotAllowed) as exc:
        services.breach_step(actor=head, breach=done, step="confirm", expected_version=done.version)
    assert "Confirmed" in str(exc.value.messages) or "已确认" in str(exc.value.messages)
    assert AuditEvent.objects.count() == events
    assert Breach.objects.get(pk=breach.pk).version == done.version


def test_nobody_confirms_their_own_breach(region):
    head_worker = worker(region, "head_w", role="centre_head")
    breach = services.breach_record(actor=head_worker.user, worker=head_worker, kind="late",
                                    occurred_on=date(2026, 2, 2))
    with pytest.raises(ValidationError, match="own breach|自己"):
        _confirm(head_worker.user, breach)
    assert Breach.objects.get(pk=breach.pk).state == "proposed"


def test_a_late_sign_in_proposes_a_breach_and_a_second_sign_in_is_refused(region):
    w = worker(region, "w1")
    services.sign_in(actor=w.user, now=datetime(2026, 12, 3, 9, 12, tzinfo=TZ))
    breach = Breach.objects.get(worker=w)
    assert (breach.kind, breach.state, breach.proposed_measure) == ("late", "proposed", "warning")
    with pytest.raises(ValidationError, match="already|已"):
        services.sign_in(actor=w.user, now=datetime(2026, 12, 3, 9, 30, tzinfo=TZ))
    assert SignIn.objects.filter(worker=w).count() == 1
    services.sign_out(actor=w.user, now=datetime(2026, 12, 3, 16, 40, tzinfo=TZ))
    assert list(Breach.objects.filter(worker=w).values_list("kind", flat=True).order_by("kind")) == ["early", "late"]


def test_an_on_time_day_proposes_nothing(region):
    w = worker(region, "w1")
    services.sign_in(actor=w.user, now=datetime(2026, 12, 3, 8, 55, tzinfo=TZ))
    services.sign_out(actor=w.user, now=datetime(2026, 12, 3, 17, 2, tzinfo=TZ))
    assert not Breach.objects.exists()


def test_overlapping_leave_is_refused_naming_the_other_leave(region):
    w = worker(region, "w1")
    services.leave_request(actor=w.user, kind="annual", starts=date(2026, 12, 7), ends=date(2026, 12, 11), reason="探亲")
    with pytest.raises(ValidationError) as exc:
        services.leave_request(actor=w.user, kind="sick", starts=date(2026, 12, 10), ends=date(2026, 12, 14),
                               reason="病")
    assert "starts" in exc.value.message_dict
    assert "2026-12-07" in exc.value.message_dict["starts"][0]
    assert LeaveRequest.objects.count() == 1


def test_leave_decided_by_the_centre_head_not_by_oneself(region):
    head = centre_head(region)
    w = worker(region, "w1")
    leave = services.leave_request(actor=w.user, kind="annual", starts=date(2026, 12, 7), ends=date(2026, 12, 8),
                                   reason="探亲")
    with pytest.raises(Http404):  # the audited 404 of the workflow
        services.leave_step(actor=w.user, leave=leave, step="approve", expected_version=leave.version)
    approved = services.leave_step(actor=head, leave=leave, step="approve", expected_version=leave.version)
    assert approved.state == "approved" and approved.decided_by == head
    back = services.leave_step(actor=w.user, leave=approved, step="back", expected_version=approved.version)
    assert back.state == "returned" and back.returned_at is not None
