"""Violation cases: every step in order with its documents and timers, and each refusal."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.core.models import AuditEvent
from jiceng.core.workflow import Incomplete, NotAllowed
from jiceng.enforcement import services
from jiceng.enforcement.fees import late_fee
from jiceng.enforcement.models import ARCHIVE_CHECKLIST, Case, CaseState, ClueSource, ClueState, DocumentKind

pytestmark = pytest.mark.django_db


def _now(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


@pytest.fixture
def head(region):
    from tests.factories import make_user

    return make_user("head_a1", "office_head", region.office_a1)


@pytest.fixture
def certified(region, officer, head, users):
    services.officer_register(actor=users["county_reviewer"], unit=region.office_a1, user=officer, name="王执法",
                              certificate_no="湘执 430000123", valid_from=date(2025, 1, 1), valid_to=date(2027, 12, 31))
    services.officer_register(actor=users["county_reviewer"], unit=region.office_a1, user=head, name="李所长",
                              certificate_no="湘执 430000124", valid_from=date(2025, 1, 1), valid_to=date(2027, 12, 31))
    return officer


def _clue(region, officer):
    return services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.PATROL,
                                  description="甲村农田建房", place="甲村3组", registered_at=_now(date(2026, 9, 28)))


def _step(actor, case, step, day, **values):
    return services.case_step(actor=actor, case=case, step=step, expected_version=case.version, values=values,
                              now=_now(day))


def _doc(actor, case, kind):
    services.case_document_generate(actor=actor, case=case, kind=kind, pdf=False)
    return Case.objects.get(pk=case.pk)


def test_a_clue_becomes_a_case_with_the_initial_check_due_in_3_working_days_across_national_day(region, certified):
    clue = _clue(region, certified)
    case = services.case_open(actor=certified, clue=clue, title="甲村农田违法建房", party="张三")
    clue.refresh_from_db()
    assert clue.state == ClueState.CASE and case.found_by_patrol and case.number == "AJ2026-0001"
    # Found 28 Sept 2026: 29, 30 Sept; 1-7 Oct National Day; 8 Oct is the third working day.
    assert case.found_on == date(2026, 9, 28) and case.due_on == date(2026, 10, 8)
    with pytest.raises(ValidationError):
        services.case_open(actor=certified, clue=clue, title="again", party="张三")


def _to_filed(region, officer, head, filed_on=date(2026, 9, 30)):
    case = services.case_open(actor=officer, clue=_clue(region, officer), title="甲村农田违法建房", party="张三")
    case = _step(officer, case, "check", date(2026, 9, 29), check_findings="占用耕地约300平方米建房")
    case = _doc(officer, case, DocumentKind.STOP_ORDER)
    case = _step(officer, case, "stop_order", date(2026, 9, 29))
    case = _doc(officer, case, DocumentKind.FILING)
    case = _step(head, case, "file", filed_on, filed_on=filed_on, public_filing=True)
    return case


def test_the_whole_case_from_clue_to_archive(region, certified, head):
    officer = certified
    case = _to_filed(region, officer, head)
    assert case.stop_reported_on == case.stop_served_on == date(2026, 9, 29)
    # Decision within 90 calendar days of filing on 30 Sept 2026: 29 Dec 2026.
    assert case.decision_due == date(2026, 12, 29) and case.due_on == date(2026, 12, 29)
    case = _step(officer, case, "investigate", date(2026, 10, 12), investigation_summary="未经批准占用耕地建房")
    case = services.case_set_penalty(actor=officer, case=case, fine="10000", penalty_text="限期拆除，罚款",
                                     hearing_qualifies=True)
    case = _doc(officer, case, DocumentKind.NOTICE)
    case = _step(officer, case, "notify", date(2026, 10, 12), notified_on=date(2026, 10, 12))
    # 5 working days from Mon 12 Oct: 13-16, 19 Oct.
    assert case.statement_due == date(2026, 10, 19) and case.hearing_request_due == date(2026, 10, 19)
    case = _doc(officer, case, DocumentKind.DECISION)
    with pytest.raises(Incomplete, match="hearing|2026-10-19"):
        _step(head, case, "decide", date(2026, 10, 15), decided_on=date(2026, 10, 15))
    case = _step(head, case, "decide", date(2026, 10, 20), decided_on=date(2026, 10, 20))
    assert case.state == CaseState.DECIDED and case.due_on == date(2026, 10, 27)  # served within 7 days
    with pytest.raises(ValidationError, match="before the decision"):
        services.case_publish(actor=officer, case=case, on=date(2026, 10, 19))
    case = _step(officer, case, "serve", date(2026, 10, 21), served_on=date(2026, 10, 21))
    assert case.effective_on == date(2026, 10, 21)
    assert case.publication_due == date(2026, 11, 10) and case.payment_due == date(2026, 11, 5)
    case = services.case_publish(actor=officer, case=case, on=date(2026, 11, 2))
    assert case.publication_met is True
    # Paid 10 days late: 3 % a day of 10,000 = 3,000 yuan late fee.
    with pytest.raises(Incomplete, match="13000"):
        _step(officer, case, "execute", date(2026, 11, 15), executed_on=date(2026, 11, 15), execution="paid",
              paid_amount=Decimal("10000"))
    case = _step(officer, case, "execute", date(2026, 11, 15), executed_on=date(2026, 11, 15), execution="paid",
                 paid_amount=Decimal("13000"))
    assert case.late_fee(date(2026, 12, 1)) == Decimal("3000.00") and case.due_on is None
    with pytest.raises(Incomplete, match="Closing report"):
        _step(officer, case, "close", date(2026, 11, 16), closing_summary="已执行完毕")
    case = _doc(officer, case, DocumentKind.CLOSING)
    case = _step(officer, case, "close", date(2026, 11, 16), closing_summary="已执行完毕")
    assert case.state == CaseState.CLOSED and not case.is_open
    with pytest.raises(Incomplete, match="Proof of execution"):
        _step(officer, case, "archive", date(2026, 11, 20))
    case = services.case_checklist(actor=officer, case=case, ticked={k: True for k, _l in ARCHIVE_CHECKLIST})
    case = _step(officer, case, "archive", date(2026, 11, 20))
    assert case.state == CaseState.ARCHIVED and case.archived_on == date(2026, 11, 20)
    assert case.documents.count() == 5
    assert list(case.documents.order_by("kind").values_list("number", flat=True))[0].endswith("〔2026〕1号")
    steps = AuditEvent.objects.filter(object_type="enforcement.case", details__transition__startswith="enforcement.case.")
    assert steps.count() == 10  # check, stop order, file, investigate, notify, decide, serve, execute, close, archive


def test_a_step_out_of_order_or_without_its_document_is_refused(region, certified, head):
    case = services.case_open(actor=certified, clue=_clue(region, certified), title="案", party="张三")
    with pytest.raises(NotAllowed):
        _step(head, case, "decide", date(2026, 10, 1))
    case = _step(certified, case, "check", date(2026, 9, 29), check_findings="x")
    with pytest.raises(Incomplete, match="Stop order"):
        _step(certified, case, "stop_order", date(2026, 9, 29))
    assert Case.objects.get(pk=case.pk).state == CaseState.CHECKED
    with pytest.raises(ValidationError, match="cannot be drawn up"):
        services.case_document_generate(actor=certified, case=case, kind=DocumentKind.DECISION, pdf=False)


def test_a_decision_after_90_days_needs_an_approved_extension(region, certified, head):
    case = _to_filed(region, certified, head)
    case = _step(certified, case, "investigate", date(2026, 10, 12), investigation_summary="x")
    case = _doc(certified, case, DocumentKind.NOTICE)
    case = _step(certified, case, "notify", date(2026, 10, 12))
    case = _doc(certified, case, DocumentKind.DECISION)
    late = date(2027, 1, 5)
    with pytest.raises(Incomplete, match="2026-12-29"):
        _step(head, case, "decide", late, decided_on=late)
    # An extension into 2027 needs the 2027 holiday schedule: refused, never guessed, until it is loaded.
    with pytest.raises(ValidationError, match="2027"):
        services.case_extend_decision(actor=head, case=case, days=30, reason="案情复杂", approved_by="县局局长")
    from pathlib import Path

    from jiceng.calendar import parse_yaml
    from jiceng.core import workdays

    fixture = Path(__file__).parents[1] / "calendar" / "fixtures" / "schedule-2027.yaml"
    workdays.schedule_load(schedule=parse_yaml(fixture.read_text(encoding="utf-8")), operator="测试")
    case.refresh_from_db()
    case = services.case_extend_decision(actor=head, case=case, days=30, reason="案情复杂", approved_by="县局局长")
    assert case.decision_due == date(2027, 1, 28) and "县局局长" in case.decision_deadline_value.explain()
    case = _step(head, case, "decide", late, decided_on=late)
    assert case.state == CaseState.DECIDED


def test_a_major_case_needs_the_legal_review(region, certified, head):
    case = _to_filed(region, certified, head)
    case = services.case_set_penalty(actor=certified, case=case, fine=200000, penalty_text="没收", major=True)
    case = _step(certified, case, "investigate", date(2026, 10, 12), investigation_summary="x")
    case = _doc(certified, case, DocumentKind.NOTICE)
    case = _step(certified, case, "notify", date(2026, 10, 12))
    case = _doc(certified, case, DocumentKind.DECISION)
    with pytest.raises(Incomplete, match="legal review"):
        _step(head, case, "decide", date(2026, 10, 20))
    case = _step(certified, case, "legal_review", date(2026, 10, 20), review_opinion="事实清楚")
    case = _step(head, case, "decide", date(2026, 10, 21))
    assert case.state == CaseState.DECIDED


def test_a_step_by_an_officer_without_a_valid_certificate_is_refused(region, officer, head, users):
    case = services.case_open(actor=officer, clue=_clue(region, officer), title="案", party="张三")
    with pytest.raises(Incomplete, match="no enforcement certificate"):
        _step(officer, case, "check", date(2026, 9, 29), check_findings="x")
    services.officer_register(actor=users["county_reviewer"], unit=region.office_a1, user=officer, name="王执法",
                              certificate_no="湘执 1", valid_from=date(2024, 1, 1), valid_to=date(2026, 9, 1))
    with pytest.raises(Incomplete, match="valid from 2024-01-01 to 2026-09-01"):
        _step(officer, case, "check", date(2026, 9, 29), check_findings="x")
    assert Case.objects.get(pk=case.pk).state == CaseState.FOUND


def test_the_late_fee_is_3_percent_a_day_capped_at_the_fine():
    due = date(2026, 11, 5)
    assert late_fee(Decimal("10000"), due, due) == 0
    assert late_fee(Decimal("10000"), due, due + timedelta(days=1)) == Decimal("300.00")
    assert late_fee(Decimal("10000"), due, due + timedelta(days=33)) == Decimal("9900.00")
    assert late_fee(Decimal("10000"), due, due + timedelta(days=34)) == Decimal("10000.00")  # 10,200 capped
    assert late_fee(Decimal("10000"), due, due + timedelta(days=400)) == Decimal("10000.00")


def test_documents_are_numbered_without_gaps_and_read_back_as_docx_and_pdf(region, certified, head):
    from docx import Document
    from pypdf import PdfReader

    case = services.case_open(actor=certified, clue=_clue(region, certified), title="甲村农田违法建房", party="张三",
                              place="甲村3组")
    case = _step(certified, case, "check", date(2026, 9, 29), check_findings="占用耕地建房")
    doc = services.case_document_generate(actor=certified, case=case, kind=DocumentKind.STOP_ORDER)
    again = services.case_document_generate(actor=certified, case=case, kind=DocumentKind.STOP_ORDER, pdf=False)
    year = timezone.localdate().year
    assert doc.number == f"责停字〔{year}〕1号" and again.number == f"责停字〔{year}〕2号"
    text = "\n".join(p.text for p in Document(io.BytesIO(doc.docx.file.read())).paragraphs)
    assert "责令停止违法行为通知书" in text and doc.number in text and "甲村3组" in text
    pdf = PdfReader(io.BytesIO(doc.pdf.file.read()))
    assert "责令停止违法行为通知书" in pdf.pages[0].extract_text()
