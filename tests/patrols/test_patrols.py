"""Patrols: tracks as separate segments, findings sent twice, bad GeoJSON, the monthly report, the map."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from jiceng.core import maps
from jiceng.patrols import services
from jiceng.patrols.models import Finding, Patrol, TrackSegment

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 3)


def _t(hour, minute, day=DAY):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute)).isoformat()


def _segment(start_minute, n=3, day=DAY, lon=112.30):
    return {"coordinates": [[lon + i * 0.001, 28.60 + i * 0.001] for i in range(n)],
            "times": [_t(9, start_minute + i, day) for i in range(n)]}


@pytest.fixture
def patrol(region, users):
    area = services.area_create(actor=users["office_head"], unit=region.office_a1, name="东片", responsible="王责任")
    return services.patrol_create(actor=users["office_staff"], unit=region.office_a1, patrol_date=DAY,
                                  inspectors="张三、李四", area=area, route="甲村—乙村")


def test_a_track_keeps_its_gaps_and_a_copy_is_stored_once(patrol, users):
    rows = services.track_add(actor=users["office_staff"], patrol=patrol, segments=[_segment(0), _segment(30)])
    assert len(rows) == 2 and all(r.geometry["type"] == "LineString" for r in rows)
    assert [len(r.geometry["coordinates"]) for r in rows] == [3, 3]  # two segments, never joined into one line
    # A teammate's phone sends the same first stretch: not duplicated.
    again = services.track_add(actor=users["office_head"], patrol=patrol, segments=[_segment(0)])
    assert again == [] and TrackSegment.objects.filter(patrol=patrol).count() == 2
    assert rows[0].length_m > 200  # two steps of ~145 m each


def test_a_segment_on_another_day_is_refused(patrol, users):
    with pytest.raises(ValidationError) as exc:
        services.track_add(actor=users["office_staff"], patrol=patrol, segments=[_segment(0, day=date(2026, 12, 4))])
    assert "2026-12-03" in " ".join(exc.value.messages)
    assert not TrackSegment.objects.exists()


@pytest.mark.parametrize("bad, reason", [
    ("{not json", "不是 JSON"),
    ([{"coordinates": [[112.3, 28.6]], "times": [_t(9, 0)]}], "第 1 段"),
    ([{"coordinates": [[512.3, 28.6], [112.3, 28.7]], "times": [_t(9, 0), _t(9, 1)]}], "超出"),
    ([{"coordinates": [[112.3, 28.6], [112.3, 28.7]], "times": [_t(9, 5), _t(9, 1)]}], "顺序"),
    ([{"coordinates": "x", "times": []}], "第 1 段"),
])
def test_malformed_tracks_are_refused_and_nothing_is_stored(patrol, users, bad, reason):
    with pytest.raises(ValidationError) as exc:
        services.track_add(actor=users["office_staff"], patrol=patrol, segments=bad)
    assert reason in " ".join(exc.value.messages)
    assert not TrackSegment.objects.exists()


def test_parse_geometry_refuses_a_self_crossing_polygon_and_reads_a_feature():
    bow = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    with pytest.raises(ValidationError) as exc:
        maps.parse_geometry(bow)
    assert "图形无效" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        maps.parse_geometry({"type": "Circle", "coordinates": [0, 0]})
    got = maps.parse_geometry(json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [112, 28]}}))
    assert got == {"type": "Point", "coordinates": [112, 28]}


def test_a_finding_sent_twice_by_the_queue_is_one_row(patrol, users, client_for):
    client = client_for(users["office_staff"])
    key = str(uuid.uuid4())
    url = f"/patrols/{patrol.pk}/findings/"
    data = {"description": "村口有人挖土", "lon": "112.301", "lat": "28.601", "place": "甲村口"}
    first = client.post(url, data, HTTP_X_OFFLINE_KEY=key, HTTP_X_OFFLINE_QUEUE="1")
    second = client.post(url, data, HTTP_X_OFFLINE_KEY=key, HTTP_X_OFFLINE_QUEUE="1")
    assert (first.status_code, second.status_code) == (201, 409)
    assert Finding.objects.filter(patrol=patrol).count() == 1
    assert Finding.objects.get().location == {"type": "Point", "coordinates": [112.301, 28.601]}


def test_a_finding_without_description_is_refused_for_the_queue(patrol, users, client_for):
    client = client_for(users["office_staff"])
    response = client.post(f"/patrols/{patrol.pk}/findings/", {"description": ""},
                           HTTP_X_OFFLINE_KEY=str(uuid.uuid4()), HTTP_X_OFFLINE_QUEUE="1")
    assert response.status_code == 400
    assert "description" in response.json()["errors"]
    assert not Finding.objects.exists()


def test_the_track_view_stores_segments_once_per_key(patrol, users, client_for):
    client = client_for(users["office_staff"])
    key = str(uuid.uuid4())
    body = {"segments": json.dumps([_segment(0), _segment(40)])}
    assert client.post(f"/patrols/{patrol.pk}/track/", body, HTTP_X_OFFLINE_KEY=key, HTTP_X_OFFLINE_QUEUE="1").status_code == 201
    assert client.post(f"/patrols/{patrol.pk}/track/", body, HTTP_X_OFFLINE_KEY=key, HTTP_X_OFFLINE_QUEUE="1").status_code == 409
    assert TrackSegment.objects.count() == 2


def test_the_monthly_report_counts_what_was_recorded(patrol, region, users, client_for):
    from jiceng.patrols.models import PatrolArea

    services.plan_set(actor=users["office_head"], area=PatrolArea.objects.get(), month=DAY, planned=8)
    services.patrol_create(actor=users["office_staff"], unit=region.office_a1, patrol_date=date(2026, 12, 5),
                           inspectors="张三", key_period=True, unannounced=True)
    services.patrol_create(actor=users["office_staff"], unit=region.office_a1, patrol_date=date(2026, 11, 30),
                           inspectors="张三")  # another month: not counted
    services.finding_add(actor=users["office_staff"], patrol=patrol, description="违法建房")
    services.track_add(actor=users["office_staff"], patrol=patrol, segments=[_segment(0)])
    response = client_for(users["office_head"]).get("/patrols/report/", {"unit": region.office_a1.pk, "month": "2026-12"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    summary = wb["巡查月报"]
    assert summary["B2"].value == 2 and summary["D2"].value == 1 and summary["F2"].value == 1
    assert summary["B3"].value == 1
    assert [c.value for c in summary[6]][:5] == ["甲一中心所", "东片", "王责任", 8, 1]
    records = list(wb["巡查记录"].iter_rows(min_row=2, values_only=True))
    assert len(records) == 2 and records[0][3] == "张三、李四"


def test_the_map_shows_the_finding_point_and_hides_other_counties(patrol, region, users, client_for):
    services.finding_add(actor=users["office_staff"], patrol=patrol, description="挖土", lon=112.3, lat=28.6)
    services.track_add(actor=users["office_staff"], patrol=patrol, segments=[_segment(0)])
    client = client_for(users["county_reviewer"])
    data = client.get(f"/patrols/map/{region.county_a.pk}/data.json", {"period": "2026-12"}).json()
    kinds = sorted((f["properties"]["layer"], f["geometry"]["type"]) for f in data["features"]["features"])
    assert ("patrols.findings", "Point") in kinds and ("patrols.tracks", "LineString") in kinds
    finding = next(f for f in data["features"]["features"] if f["properties"]["layer"] == "patrols.findings")
    assert finding["properties"]["url"] == f"/patrols/{patrol.pk}/#finding-{Finding.objects.get().pk}"
    assert client.get(f"/patrols/map/{region.county_a.pk}/data.json", {"period": "2026-11"}).json()["features"]["features"] == []
    assert client.get(f"/patrols/map/{region.county_a.pk}/data.json", {"period": "13-2026"}).status_code == 400
    outsider = client_for(users["other_county_head"])
    assert outsider.get(f"/patrols/map/{region.county_a.pk}/data.json").status_code == 404


def test_the_field_page_registers_the_worker_and_no_inline_script(patrol, users, client_for):
    html = client_for(users["office_staff"]).get(f"/patrols/{patrol.pk}/").content.decode()
    assert 'name="jiceng-sw" content="/audit/offline/sw.js"' in html
    assert "data-offline-form" in html and "data-offline-status" in html
    assert "<script>" not in html and "style=" not in html


def test_a_patrol_area_needs_a_responsible_person(region, users):
    with pytest.raises(ValidationError) as exc:
        services.area_create(actor=users["office_head"], unit=region.office_a1, name="西片", responsible=" ")
    assert "responsible" in exc.value.message_dict
    assert Patrol.objects.count() == 0


def test_a_finding_becomes_a_clue_in_one_step_once(patrol, users):
    from jiceng.enforcement.models import Clue

    finding = services.finding_add(actor=users["office_staff"], patrol=patrol, description="耕地上新建房屋",
                                   lon=112.31, lat=28.61, as_clue=True)
    clue = Clue.objects.get()
    assert clue.source == "patrol" and clue.description == "耕地上新建房屋"
    assert clue.source_ref == f"patrol:{patrol.pk}/finding:{finding.pk}"
    finding.refresh_from_db()
    assert finding.clue_id == str(clue.pk)
    with pytest.raises(ValidationError):
        services.finding_to_clue(actor=users["office_staff"], finding=finding)
    assert Clue.objects.count() == 1


def test_a_finding_whose_clue_is_refused_is_not_half_saved(patrol, users):
    from jiceng.enforcement.models import Clue

    # No point, no place, an area named: the clue takes the area as its place.
    services.finding_add(actor=users["office_staff"], patrol=patrol, description="疑似违法占地", as_clue=True)
    assert Clue.objects.get().place == "东片"
    bare = services.patrol_create(actor=users["office_staff"], unit=patrol.unit, patrol_date=DAY, inspectors="张三")
    with pytest.raises(ValidationError) as exc:
        services.finding_add(actor=users["office_staff"], patrol=bare, description="无位置", as_clue=True)
    assert "location" in exc.value.message_dict
    assert not Finding.objects.filter(patrol=bare).exists() and Clue.objects.count() == 1


def test_a_patrol_created_through_the_queue_twice_is_one_patrol(region, users, client_for):
    client = client_for(users["office_staff"])
    key = str(uuid.uuid4())
    data = {"unit": region.office_a1.pk, "patrol_date": "2026-12-03", "inspectors": "张三"}
    answers = [client.post("/patrols/new/", data, HTTP_X_OFFLINE_KEY=key, HTTP_X_OFFLINE_QUEUE="1").status_code
               for _ in range(2)]
    assert answers == [201, 409] and Patrol.objects.count() == 1
    # A plain form post (no queue) still redirects to the new patrol.
    response = client.post("/patrols/new/", {**data, "inspectors": "李四"})
    assert response.status_code == 302 and response["Location"] == Patrol.objects.get(inspectors="李四").get_absolute_url()
