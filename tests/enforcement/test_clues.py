"""Clues: registration with location, photos, reporter masking, deadline; the 12336 register; closing."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext

from jiceng.core.models import AuditEvent, EventType
from jiceng.enforcement import services
from jiceng.enforcement.models import CloseReason, Clue, ClueSource, ClueState

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [112.355, 28.554]}


def _png(name="现场.png"):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def _at(y, m, d, h=9):
    return timezone.make_aware(datetime(y, m, d, h))


def test_a_patrol_finding_registers_a_clue_with_photo_deadline_and_audit(region, officer):
    clue = services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.PATROL,
                                  description="甲村东侧农田内新建砖混房屋一处", location=POINT,
                                  village=region.village_a, photos=[_png()], source_ref="patrol:17",
                                  registered_at=_at(2026, 9, 28))
    clue.refresh_from_db()
    assert clue.state == ClueState.REGISTERED and clue.number == "XS2026-00001"
    assert clue.photos.count() == 1 and clue.photos.get().kind == "png"
    # 15 working days from 28 Sept 2026 (hand-counted): 29, 30 Sept (2); 1-7 Oct National Day; 8, 9 Oct,
    # Saturday 10 Oct a swapped working day (5); 12-16 Oct (10); 19-23 Oct (15).
    assert clue.due_on == date(2026, 10, 23)
    assert "线索登记" in clue.deadline.explain()
    event = AuditEvent.objects.get(object_type="enforcement.clue", object_id=str(clue.pk))
    assert event.after["source"] == "patrol" and event.after["photos"][0]["type"] == "png"
    second = services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.HOTLINE,
                                    description="举报有人挖山取土", parcel="甲村3组", registered_at=_at(2026, 9, 29))
    assert second.number == "XS2026-00002"


def test_the_reporter_is_masked_and_an_anonymous_report_keeps_no_name(region, officer):
    clue = services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.HOTLINE,
                                  description="举报", place="甲村", reporter_name="张三丰",
                                  reporter_phone="13812345678")
    assert clue.reporter_shown == "张**" and clue.reporter_phone_shown == "138****5678"
    event = AuditEvent.objects.get(object_type="enforcement.clue", object_id=str(clue.pk))
    assert "13812345678" not in str(event.after) and "张三丰" not in str(event.after)
    anon = services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.WECHAT_LETTER,
                                  description="匿名信", place="甲村", anonymous=True, reporter_name="李四",
                                  reporter_phone="13912345678")
    assert anon.reporter_name == "" and anon.reporter_phone == "" and anon.reporter_shown == gettext("Anonymous")


@pytest.mark.parametrize("location, reason", [
    ("{not json", "JSON"),
    ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "LineString"),
    ({"type": "Point"}, "coordinates"),
    ({"type": "Point", "coordinates": [500, 28]}, "−180"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "Self-intersection"),
    ({"type": "Polygon", "coordinates": [[1, 2]]}, "malformed"),
])
def test_a_malformed_geojson_is_refused_with_the_reason_and_nothing_saved(region, officer, location, reason):
    with pytest.raises(ValidationError) as exc:
        services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.PATROL,
                               description="x", location=location)
    assert reason in str(exc.value.message_dict["location"])
    assert not Clue.objects.exists() and not AuditEvent.objects.filter(object_type="enforcement.clue").exists()


def test_a_polygon_and_a_feature_are_accepted(region, officer):
    square = {"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[112.3, 28.5], [112.31, 28.5], [112.31, 28.51], [112.3, 28.51], [112.3, 28.5]]]}}
    clue = services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.SATELLITE,
                                  description="图斑", location=square)
    assert clue.location["type"] == "Polygon"


def test_no_location_no_description_and_a_bad_photo_are_refused_naming_the_field(region, officer):
    with pytest.raises(ValidationError) as exc:
        services.clue_register(actor=officer, unit=region.office_a1, source="rumour", description=" ")
    assert set(exc.value.message_dict) == {"source", "description", "location"}
    fake = SimpleUploadedFile("照片.jpg", b"not a photo at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.PATROL,
                               description="x", place="甲村", photos=[fake])
    assert "照片.jpg" in str(exc.value.message_dict["photos"])
    assert not Clue.objects.exists()


def test_a_user_without_the_right_or_outside_the_unit_is_refused(region, officer, officer_b, users):
    with pytest.raises(PermissionDenied):
        services.clue_register(actor=officer_b, unit=region.office_a1, source=ClueSource.PATROL,
                               description="x", place="甲村")
    with pytest.raises(PermissionDenied):
        services.clue_register(actor=users["window_staff"], unit=region.office_a1, source=ClueSource.PATROL,
                               description="x", place="甲村")


def test_the_12336_register_supervision_answer_late_and_repeat(region, officer):
    clue = services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.HOTLINE,
                                  description="12336 来电", place="甲村", source_ref="12336-0001",
                                  supervised=True, supervision_due=date(2026, 10, 9))
    assert clue.supervision_count == 1 and not clue.repeat_supervision
    clue = services.clue_supervision_answer(actor=officer, clue=clue, on=date(2026, 10, 12))
    assert clue.supervision_late and clue.reported_on == date(2026, 10, 12)
    clue = services.clue_supervise(actor=officer, clue=clue, due=date(2026, 10, 20), reason="再次督办")
    assert clue.repeat_supervision and clue.supervision_answered_on is None
    with pytest.raises(ValidationError):
        services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.SUPERIOR,
                               description="x", place="y", supervised=True)


def test_closing_needs_the_reason_and_the_referral(region, officer):
    clue = services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.DEPARTMENT,
                                  description="林地", place="甲村后山")
    with pytest.raises(ValidationError) as exc:
        services.clue_close(actor=officer, clue=clue, reason=CloseReason.OTHER_DEPARTMENT, note="属林业")
    assert "referred_to" in exc.value.message_dict
    clue = services.clue_close(actor=officer, clue=clue, reason=CloseReason.OTHER_DEPARTMENT, note="属林业",
                               referred_to="县林业局")
    assert clue.state == ClueState.CLOSED and clue.referred_on and not clue.is_open
    with pytest.raises(ValidationError):
        services.clue_close(actor=officer, clue=clue, reason=CloseReason.NOT_VIOLATION, note="again")


def test_an_edit_keeps_its_history_and_a_stale_version_is_refused(region, officer):
    clue = services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.MEDIA,
                                  description="报道", place="甲村")
    clue = services.clue_update(actor=officer, clue=clue, changes={"parcel": "甲村5组"}, expected_version=1,
                                reason="补充地块")
    assert clue.version == 2
    event = AuditEvent.objects.filter(object_type="enforcement.clue", event_type=EventType.UPDATE).get()
    assert event.before == {"parcel": ""} and event.after == {"parcel": "甲村5组"}
    with pytest.raises(ValidationError, match="version"):
        services.clue_update(actor=officer, clue=clue, changes={"parcel": "x"}, expected_version=1)


def test_a_village_of_another_county_is_refused(region, officer):
    from tests.factories import UnitFactory

    township_b = UnitFactory(parent=region.county_b, kind="township", name="乙镇", code="CBT")
    village_b = UnitFactory(parent=township_b, kind="village", name="乙村", code="CBTV")
    with pytest.raises(ValidationError) as exc:
        services.clue_register(actor=officer, unit=region.office_a1, source=ClueSource.PATROL,
                               description="x", village=village_b)
    assert "乙村" in exc.value.message_dict["village"][0]
