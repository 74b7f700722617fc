"""AB posts with real cases: A absent → new cases to B, A's open cases handed over (each recorded); A back."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jiceng.staffing import services
from jiceng.window.models import Case, Handover

from .conftest import finish, received
from .tests_staffing_helpers import post_for

pytestmark = pytest.mark.django_db


def test_marking_a_absent_hands_over_the_open_cases_and_routes_new_ones_to_b(centre, people, item):
    post = post_for(people, centre)
    a, b = people["window"], people["window2"]
    open_one = received(centre, people, item)
    open_two = received(centre, people, item)
    done = finish(received(centre, people, item), people)
    today = services.local_today()
    absence = services.mark_absent(actor=people["head"], post=post, kind="training", starts=today, ends=today,
                                   note="市局业务培训")
    assert absence.handed_over == 2
    assert {c.handler_id for c in Case.objects.filter(pk__in=[open_one.pk, open_two.pk])} == {b.pk}
    assert Case.objects.get(pk=done.pk).handler_id == a.pk  # a closed case stays
    handovers = Handover.objects.filter(case__in=[open_one, open_two])
    assert handovers.count() == 2 and all(h.from_user_id == a.pk and h.to_user_id == b.pk for h in handovers)
    assert all("training" in h.reason.lower() or "培训" in h.reason for h in handovers)
    # a new case A receives now is handled by B; A stays recorded as receiver (首问负责)
    new = received(centre, people, item, day=today)
    assert (new.received_by_id, new.handler_id) == (a.pk, b.pk)
    # A is back: new cases are A's again
    services.end_absence(actor=people["head"], absence=absence)
    again = received(centre, people, item, day=today)
    assert again.handler_id == a.pk


def test_an_approved_leave_of_the_a_holder_marks_the_absence(centre, people, item):
    post = post_for(people, centre)
    case = received(centre, people, item)
    today = services.local_today()
    leave = services.leave_request(actor=people["window"], kind="sick", starts=today, ends=today, reason="发烧")
    services.leave_step(actor=people["head"], leave=leave, step="approve", expected_version=leave.version)
    assert post.absences.get().kind == "leave"
    assert Case.objects.get(pk=case.pk).handler == people["window2"]
    leave.refresh_from_db()
    services.leave_step(actor=people["window"], leave=leave, step="back", expected_version=leave.version)
    assert post.absences.get().returned_at is not None


def test_overlapping_absences_on_a_post_are_refused(centre, people):
    post = post_for(people, centre)
    services.mark_absent(actor=people["head"], post=post, kind="duty", starts=date(2027, 1, 4), ends=date(2027, 1, 8))
    with pytest.raises(ValidationError) as exc:
        services.mark_absent(actor=people["head"], post=post, kind="leave", starts=date(2027, 1, 8),
                             ends=date(2027, 1, 9))
    assert "starts" in exc.value.message_dict
    assert post.absences.count() == 1


def test_an_absence_marked_ahead_hands_over_on_its_first_day(centre, people, item):
    from datetime import timedelta

    post = post_for(people, centre)
    case = received(centre, people, item)
    tomorrow = services.local_today() + timedelta(days=1)
    absence = services.mark_absent(actor=people["head"], post=post, kind="duty", starts=tomorrow, ends=tomorrow)
    assert absence.handed_over == 0 and Case.objects.get(pk=case.pk).handler == people["window"]
    assert services.start_due_absences(today=tomorrow - timedelta(days=1)) == 0
    assert services.start_due_absences(today=tomorrow) == 1
    assert Case.objects.get(pk=case.pk).handler == people["window2"]
    assert services.start_due_absences(today=tomorrow) == 0  # once only
