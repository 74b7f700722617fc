"""The automatic grounds of 第三十四条 and the dismissal workflow of 第三十五条."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.grid.models import Absence, Complaint, DismissalCase, Grade
from jiceng.grid.services import dismissal
from jiceng.grid.workflows import DISMISSAL

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 4)


def _grade(worker, kind, period, grade):
    return Grade.objects.create(unit=worker.unit, worker=worker, kind=kind, period=period, grade=grade,
                                graded_at=timezone.now())


def grounds(worker):
    return sorted(DismissalCase.objects.filter(worker=worker).values_list("trigger", flat=True))


def test_nothing_raised_for_a_clean_record(gw):
    assert dismissal.check_all(TODAY) == 0


def test_two_unfit_quarters_in_a_row(gw):
    _grade(gw.worker_a, "quarter", "2026-Q2", "不称职")
    _grade(gw.worker_a, "quarter", "2026-Q3", "称职")
    _grade(gw.worker_b, "quarter", "2026-Q2", "不称职")
    _grade(gw.worker_b, "quarter", "2026-Q3", "不称职")
    assert dismissal.check_all(TODAY) == 1
    assert grounds(gw.worker_a) == [] and grounds(gw.worker_b) == ["1"]
    assert dismissal.check_all(TODAY) == 0  # idempotent: the open case is not raised again


def test_two_failed_years_in_a_row(gw):
    _grade(gw.worker_a, "year", "2024", "不合格")
    _grade(gw.worker_a, "year", "2025", "不合格")
    dismissal.check_all(TODAY)
    assert grounds(gw.worker_a) == ["1"]


def test_complaints_money_leak(gw):
    for n in range(3):
        Complaint.objects.create(unit=gw.grid_a, worker=gw.worker_a, received_on=TODAY, summary=f"投诉{n}",
                                 verified=n < 2)
    dismissal.check_all(TODAY)
    assert grounds(gw.worker_a) == []  # only two verified
    Complaint.objects.filter(worker=gw.worker_a).update(verified=True)
    Complaint.objects.create(unit=gw.grid_b, worker=gw.worker_b, kind="leak", received_on=TODAY, summary="泄露",
                             verified=True)
    dismissal.check_all(TODAY)
    assert grounds(gw.worker_a) == ["2"] and grounds(gw.worker_b) == ["8"]


def test_contract_ended_and_absence(gw):
    gw.worker_a.contract_end = TODAY - timedelta(days=1)
    gw.worker_a.save()
    Absence.objects.create(unit=gw.grid_b, worker=gw.worker_b, start=TODAY - timedelta(days=10), end=TODAY,
                           justified=False)
    dismissal.check_all(TODAY)
    assert grounds(gw.worker_a) == ["3"] and grounds(gw.worker_b) == ["6"]  # 11 days > 10


def test_absence_of_exactly_ten_days_is_not_a_ground(gw):
    Absence.objects.create(unit=gw.grid_b, worker=gw.worker_b, start=TODAY - timedelta(days=9), end=TODAY,
                           justified=False)
    dismissal.check_all(TODAY)
    assert grounds(gw.worker_b) == []


def test_a_person_raises_a_ground_and_the_workflow_runs(gw):
    with pytest.raises(ValidationError):
        dismissal.raise_case(actor=gw.director, worker=gw.worker_a, ground="10", evidence="x")
    case = dismissal.raise_case(actor=gw.director, worker=gw.worker_a, ground="4", evidence="不接受调整")
    with pytest.raises(ValidationError):
        DISMISSAL.perform(case, "village_opinion", actor=gw.director, expected_version=case.version)
    case = DISMISSAL.perform(case, "village_opinion", actor=gw.director, expected_version=case.version,
                             values={"village_opinion": "同意解聘"})
    with pytest.raises(Http404):  # the director does not decide: the township does (第三十五条)
        DISMISSAL.perform(case, "decide", actor=gw.director, expected_version=case.version,
                          values={"decision": "解聘"})
    case = DISMISSAL.perform(case, "decide", actor=gw.admin, expected_version=case.version,
                             values={"decision": "经研究，予以解聘"})
    assert case.handover_due == case.decided_on + timedelta(days=15)
    case = DISMISSAL.perform(case, "hand_over", actor=gw.admin, expected_version=case.version,
                             values={"handover_note": "台账已交接", "audit_needed": True})
    gw.worker_a.refresh_from_db()
    assert not gw.worker_a.active
    case = DISMISSAL.perform(case, "file", actor=gw.admin, expected_version=case.version,
                             values={"filing_note": "已报民政、财政、人社备案"})
    assert case.state == "filed" and case.audit_needed
    assert AuditEvent.objects.filter(object_type="grid.dismissalcase", object_id=str(case.pk)).count() >= 5
