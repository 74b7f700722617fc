"""The audit trail: what unit and staff writes record, atomicity, append-only rows, and `verify()`."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction

from factories import make_staff
from jiceng.core import audit, audit_chain
from jiceng.core.models import AuditEvent, EventType, Outcome


def _last(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).order_by("-seq").first()


def test_creating_a_unit_records_its_values_and_path(region, users):
    from jiceng.org import services

    unit = services.unit_create(
        actor=users["city_admin"], parent=region.county_b, kind="office", name="乙二所", code="CB2",
        office_type="township", floor_area=Decimal("42.5"),
    )
    row = _last(event_type=EventType.CREATE, object_type="org.unit")
    assert row.object_id == str(unit.pk)
    assert row.actor_name == "city_admin" and row.actor_id == users["city_admin"].pk
    assert row.before is None
    assert row.after["code"] == "CB2" and row.after["floor_area"] == "42.5"
    assert row.after["path"] == unit.path and row.unit_path == unit.path
    assert row.outcome == Outcome.SUCCESS


def test_updating_a_unit_records_only_the_changed_values(region, users):
    from jiceng.org import services

    services.unit_update(
        actor=users["office_head"], unit=region.office_a1, changes={"computers": 9, "name": "甲一中心所"},
        reason="new computers",
    )
    row = _last(event_type=EventType.UPDATE, object_type="org.unit")
    assert row.before == {"computers": 0}
    assert row.after == {"computers": 9}
    assert row.reason == "new computers"
    assert row.unit_path == region.office_a1.path


def test_an_update_that_changes_nothing_writes_no_record(region, users):
    from jiceng.org import services

    count = AuditEvent.objects.count()
    services.unit_update(actor=users["office_head"], unit=region.office_a1, changes={"name": "甲一中心所"})
    assert AuditEvent.objects.count() == count


def test_creating_staff_records_the_new_values(region, users):
    from jiceng.org import services

    staff = services.staff_create(
        actor=users["office_head"], unit=region.office_a1, name="新人", gender="f", education="junior_college",
        employment_type="off_establishment", post="window",
    )
    row = _last(event_type=EventType.CREATE, object_type="org.staff")
    assert row.object_id == str(staff.pk)
    assert row.after["name"] == "新人" and row.after["unit_id"] == region.office_a1.pk
    assert row.unit_path == region.office_a1.path and row.unit_name == region.office_a1.name


def test_updating_staff_records_before_and_after_values(region, users):
    from jiceng.org import services

    staff = make_staff(region.office_a1, education="secondary")
    services.staff_update(
        actor=users["office_head"], staff=staff, changes={"education": "bachelor"}, reason="diploma received"
    )
    row = _last(event_type=EventType.UPDATE, object_type="org.staff")
    assert row.before == {"education": "secondary"}
    assert row.after == {"education": "bachelor"}
    assert row.actor_name == "office_head" and row.reason == "diploma received"


def test_deleting_staff_records_the_values_it_had(region, users):
    from jiceng.org import services
    from jiceng.org.models import Staff

    staff = make_staff(region.office_a1, name="离职者")
    pk = staff.pk
    services.staff_delete(actor=users["office_head"], staff=staff, reason="left")
    row = _last(event_type=EventType.DELETE)
    assert row.object_id == str(pk) and row.object_repr == "离职者"
    assert row.before["name"] == "离职者" and row.after is None
    assert not Staff.objects.filter(pk=pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_audit_write_leaves_neither_the_change_nor_the_record(region, users, monkeypatch):
    from jiceng.org import services
    from jiceng.org.models import Staff

    staff = make_staff(region.office_a1)
    count = AuditEvent.objects.count()

    def broken_delete(self, *args, **kwargs):
        raise RuntimeError("disk full")

    # staff_delete writes its audit record first, then deletes: fail the delete.
    monkeypatch.setattr(Staff, "delete", broken_delete)
    with pytest.raises(RuntimeError):
        services.staff_delete(actor=users["office_head"], staff=staff, reason="x")
    assert Staff.objects.filter(pk=staff.pk).exists()
    assert AuditEvent.objects.count() == count
    assert audit_chain.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_failed_audit_write_rolls_back_the_change(region, users, monkeypatch):
    from jiceng.org import services
    from jiceng.org.models import Staff, Unit

    staff = make_staff(region.office_a1, education="secondary")
    count = AuditEvent.objects.count()

    def broken_record(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", broken_record)
    with pytest.raises(RuntimeError):
        services.staff_update(actor=users["office_head"], staff=staff, changes={"education": "bachelor"})
    with pytest.raises(RuntimeError):
        services.unit_create(actor=users["city_admin"], parent=region.county_a, kind="office", name="新所", code="NEW")
    with pytest.raises(RuntimeError):
        services.unit_update(actor=users["city_admin"], unit=region.office_a2, changes={"computers": 3})
    assert Staff.objects.get(pk=staff.pk).education == "secondary"
    assert not Unit.objects.filter(code="NEW").exists()
    assert Unit.objects.get(pk=region.office_a2.pk).computers == 0
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_a_failed_validation_after_the_write_leaves_nothing(region, users):
    """staff_update saves, then re-checks scope: moving a person out of the editor's subtree is undone."""
    from django.http import Http404

    from jiceng.org import services
    from jiceng.org.models import Staff

    staff = make_staff(region.office_a1)
    count = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # the last seq (not the count: PostgreSQL numbers rows from a sequence)
    with pytest.raises(Http404):
        services.staff_update(actor=users["office_head"], staff=staff, changes={"unit": region.office_a2})
    assert Staff.objects.get(pk=staff.pk).unit_id == region.office_a1.pk
    assert AuditEvent.objects.filter(seq__gt=count, event_type=EventType.UPDATE).count() == 0


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(EventType.SETTINGS_CHANGE, actor_name="test")
    assert AuditEvent.objects.count() == 0


def test_record_now_opens_its_own_transaction(db):
    row = audit.record_now(EventType.SETTINGS_CHANGE, actor_name="ops", details={"key": "value"})
    assert row.chain_seq == 1 and row.prev_hash == audit.GENESIS_HASH


def test_saving_an_existing_row_again_is_refused(db):
    row = audit.record_now(EventType.SETTINGS_CHANGE, actor_name="ops")
    row.reason = "rewritten"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    assert AuditEvent.objects.get(pk=row.pk).reason == ""


def test_queryset_update_and_delete_are_refused(db):
    audit.record_now(EventType.SETTINGS_CHANGE, actor_name="ops")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=1).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=1).delete()
    assert AuditEvent.objects.count() == 1


def test_rows_link_to_the_row_before_them(db):
    rows = [audit.record_now(EventType.SETTINGS_CHANGE, actor_name=f"ops{i}") for i in range(3)]
    assert [r.chain_seq for r in rows] == [1, 2, 3] and rows[0].seq < rows[1].seq < rows[2].seq
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert len({r.hash for r in rows}) == 3


def _tamper(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _five_rows() -> list[int]:
    """Their `seq` numbers (on PostgreSQL a sequence numbers rows, so the first need not be 1)."""
    return [audit.record_now(EventType.SETTINGS_CHANGE, actor_name=f"ops{i}", details={"n": i}).seq for i in range(5)]


def test_verify_accepts_an_intact_trail(region, users):
    from jiceng.org import services

    services.staff_update(
        actor=users["county_reviewer"], staff=region.office_a2.staff.get(), changes={"phone": ""}, reason="x"
    )
    result = audit_chain.verify()
    assert result.ok and result.checked == AuditEvent.objects.count() > 10


def test_verify_names_the_first_row_altered_through_sql(db):
    seqs = _five_rows()
    _tamper("UPDATE core_auditevent SET reason = %s WHERE seq = %s", ["quietly edited", seqs[2]])
    _tamper("UPDATE core_auditevent SET reason = %s WHERE seq = %s", ["also edited", seqs[3]])
    result = audit_chain.verify()
    assert not result.ok
    assert result.bad_seq == seqs[2] and "altered" in result.problem and result.checked == 5
    # Every altered row is named, not only the first.
    assert [(p.kind, p.seq) for p in result.problems] == [("altered", seqs[2]), ("altered", seqs[3])]


def test_verify_names_a_row_deleted_through_sql(db):
    seqs = _five_rows()
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [seqs[1]])
    result = audit_chain.verify()
    assert not result.ok and result.bad_seq == seqs[1] and "missing" in result.problem


def test_verify_notices_a_row_whose_hash_was_recomputed_but_not_relinked(db):
    """An editor who recomputes the edited row's hash still breaks the link of the next row."""
    seqs = _five_rows()
    row = AuditEvent.objects.get(seq=seqs[1])
    row.reason = "edited"
    new_hash = audit.compute_hash(row)
    _tamper("UPDATE core_auditevent SET reason = %s, hash = %s WHERE seq = %s", ["edited", new_hash, seqs[1]])
    result = audit_chain.verify()
    assert not result.ok and result.bad_seq == seqs[2] and "link" in result.problem


def test_verify_checks_values_written_in_every_json_shape(db):
    """Dates, decimals, unicode and nested values hash the same once read back from the database."""
    import datetime

    with transaction.atomic():
        audit.record(
            EventType.UPDATE,
            actor_name="张三",
            before={"when": datetime.date(2024, 2, 29), "area": Decimal("12.50"), "tags": ["甲", "乙"]},
            after={"when": None, "n": 3, "ok": True, "nested": {"b": 1, "a": [1.5, "x"]}},
            details={"note": "引号\"与换行\n"},
        )
    assert audit_chain.verify().ok


def test_an_ipv6_address_is_stored_in_the_form_that_verifies(db):
    from jiceng.core.context import reset_ip, set_ip

    token = set_ip("2001:0DB8:0000:0000:0000:0000:0000:0001")
    try:
        row = audit.record_now(EventType.LOGIN, actor_name="v6")
    finally:
        reset_ip(token)
    assert AuditEvent.objects.get(pk=row.pk).ip == "2001:db8::1"
    assert audit_chain.verify().ok


def test_a_malformed_forwarded_address_does_not_break_the_write(db, settings):
    from jiceng.core.context import reset_ip, set_ip

    token = set_ip("not-an-address")
    try:
        row = audit.record_now(EventType.LOGIN_FAILED, actor_name="probe", outcome=Outcome.FAILURE)
    finally:
        reset_ip(token)
    stored = AuditEvent.objects.get(pk=row.pk)
    assert stored.ip is None and stored.details["ip_unparsed"] == "not-an-address"
    assert audit_chain.verify().ok


def test_snapshot_and_diff_keep_only_what_changed():
    before = {"a": 1, "b": "x", "c": None}
    after = {"a": 1, "b": "y", "d": 2}
    assert audit.diff(before, after) == ({"b": "x", "d": None}, {"b": "y", "d": 2})
