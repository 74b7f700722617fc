"""Who sees residents, the audit of views and unmasking, the AB post, log entries and the lock of 第二十条."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from jiceng.core.models import AuditEvent, EventType
from jiceng.grid import selectors
from jiceng.grid.models import Absence, LogEntry, Matter
from jiceng.grid.services import residents as rs
from jiceng.grid.services import work

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 3)


def names(qs):
    return sorted(r.name for r in qs)


def test_scope_of_residents(gw):
    assert names(selectors.residents(gw.user_a, today=TODAY)) == ["赵一", "赵二", "钱三", "钱二"]
    assert names(selectors.residents(gw.user_b, today=TODAY)) == ["孙三"]
    # The director is above both grids but lacks grid.sensitive: 刑满释放 stays hidden.
    assert "钱二" not in names(selectors.residents(gw.director, today=TODAY))
    assert len(names(selectors.residents(gw.director, today=TODAY))) == 4
    assert len(names(selectors.residents(gw.admin, today=TODAY))) == 5


def test_worker_opening_resident_of_another_grid_is_refused_and_recorded(gw):
    before = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).count()
    with pytest.raises(Http404):
        rs.open_resident(actor=gw.user_b, pk=gw.elderly.pk, today=TODAY)
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).count() == before + 1


def test_sensitive_category_without_capability_is_refused(gw):
    with pytest.raises(Http404):
        rs.open_resident(actor=gw.director, pk=gw.released.pk, today=TODAY)
    refusal = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).order_by("-seq").first()
    assert refusal.details["action"] == "grid.sensitive"
    assert rs.open_resident(actor=gw.admin, pk=gw.released.pk, today=TODAY).pk == gw.released.pk


def test_every_view_is_audited(gw):
    rs.open_resident(actor=gw.user_a, pk=gw.released.pk, today=TODAY)
    row = AuditEvent.objects.filter(event_type=rs.VIEW_EVENT).order_by("-seq").first()
    assert row.actor_id == gw.user_a.pk and row.object_id == str(gw.released.pk)
    assert row.details["sensitive"] is True and row.details["categories"] == ["released"]


def test_unmask_needs_capability_reason_and_is_audited(gw):
    with pytest.raises(PermissionDenied):
        rs.unmask(actor=gw.user_a, resident=gw.elderly, field="phone", reason="核对")
    with pytest.raises(ValidationError):
        rs.unmask(actor=gw.admin, resident=gw.elderly, field="phone", reason=" ")
    assert rs.unmask(actor=gw.admin, resident=gw.elderly, field="phone", reason="核对") == "13800000001"
    row = AuditEvent.objects.filter(event_type=EventType.UNMASK).order_by("-seq").first()
    assert row.reason == "核对" and row.details == {"field": "phone"}
    assert rs.masked(gw.elderly)["phone"] == "138****0001"


def test_ab_partner_sees_and_logs_while_covering(gw):
    assert "孙三" not in names(selectors.residents(gw.user_a, today=TODAY))
    Absence.objects.create(unit=gw.grid_b, worker=gw.worker_b, start=TODAY - timedelta(days=1),
                           end=TODAY + timedelta(days=3), reason="病假")
    assert selectors.covered_grid_ids(gw.user_a, TODAY) == [gw.grid_b.pk]
    assert "孙三" in names(selectors.residents(gw.user_a, today=TODAY))
    entry, created = work.record_entry(actor=gw.user_a, unit=gw.grid_b, day=TODAY, kind="visit",
                                       resident_id=gw.other_resident.pk, found="探望", today=TODAY)
    assert created and entry.worker == gw.worker_a and entry.household_id == gw.other_resident.household_id
    # After the absence, the partner's grid is closed again.
    later = TODAY + timedelta(days=5)
    assert selectors.covered_grid_ids(gw.user_a, later) == []
    with pytest.raises(PermissionDenied):
        work.record_entry(actor=gw.user_a, unit=gw.grid_b, day=later, kind="patrol", today=later)


def test_entry_is_stored_once_per_client_id(gw):
    cid = "0b7a5f9e-3c61-4a7e-9d59-3a1a2b3c4d5e"
    first, created = work.record_entry(actor=gw.user_a, unit=gw.grid_a, day=TODAY, kind="visit",
                                       resident_id=gw.elderly.pk, client_id=cid, today=TODAY)
    again, created_again = work.record_entry(actor=gw.user_a, unit=gw.grid_a, day=TODAY, kind="visit",
                                             resident_id=gw.elderly.pk, client_id=cid, today=TODAY)
    assert created and not created_again and first.pk == again.pk
    assert LogEntry.objects.filter(client_id=cid).count() == 1


def test_visit_to_resident_of_another_grid_is_refused(gw):
    with pytest.raises(ValidationError) as err:
        work.record_entry(actor=gw.user_a, unit=gw.grid_a, day=TODAY, kind="visit",
                          resident_id=gw.other_resident.pk, today=TODAY)
    assert "resident" in err.value.message_dict
    assert not LogEntry.objects.exists()


def test_matter_is_escalated_with_a_deadline(gw):
    entry, _ = work.record_entry(actor=gw.user_a, unit=gw.grid_a, day=TODAY, kind="matter", matter_kind="dispute",
                                 found="邻里纠纷", today=TODAY)
    matter = Matter.objects.get(entry=entry)
    assert matter.state == "escalated" and matter.due_on == date(2026, 12, 10)  # 5 working days
    assert "5个工作日" in matter.deadline.explain()


def test_signed_week_is_locked(gw):
    entry, _ = work.record_entry(actor=gw.user_a, unit=gw.grid_a, day=TODAY, kind="patrol", found="正常",
                                 today=TODAY)
    with pytest.raises(PermissionDenied):
        work.sign_off(actor=gw.user_a, worker=gw.worker_a, kind="week", day=TODAY)
    signed = work.sign_off(actor=gw.director, worker=gw.worker_a, kind="week", day=TODAY)
    assert (signed.start, signed.end, signed.entries) == (date(2026, 11, 30), date(2026, 12, 6), 1)
    with pytest.raises(ValidationError) as err:
        work.edit_entry(actor=gw.user_a, entry=entry, found="改")
    assert "signed off" in str(err.value) or "签" in str(err.value)
    entry.refresh_from_db()
    assert entry.found == "正常"
    with pytest.raises(ValidationError):
        work.record_entry(actor=gw.user_a, unit=gw.grid_a, day=TODAY, kind="patrol", today=TODAY)
    with pytest.raises(ValidationError):
        work.sign_off(actor=gw.director, worker=gw.worker_a, kind="week", day=TODAY)
    # The week before is still open.
    work.record_entry(actor=gw.user_a, unit=gw.grid_a, day=TODAY - timedelta(days=7), kind="patrol", today=TODAY)
