"""Satellite spots: import (CSV, GeoJSON), duplicates and row errors refused all-or-nothing, judging, the rates."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jiceng.enforcement import figures
from jiceng.enforcement.models import CaseState, Judgment, Spot, SpotBatch
from jiceng.enforcement.spots import SpotImportError, spot_import, spot_judge

from .builders import published_case

pytestmark = pytest.mark.django_db

CSV = "图斑编号,行政区划,年度,面积,合法面积,禁建面积,基本农田\n" + "\n".join(
    f"430902{n:06d},430902,2026,{n}.5,0,1,0.2" for n in range(1, 21)) + "\n"


def test_a_csv_batch_is_imported_with_every_column(region, users):
    batch = spot_import(actor=users["county_reviewer"], unit=region.county_a, year=2026, data=CSV.encode(),
                        name="2026卫片.csv")
    assert batch.rows == 20 and Spot.objects.filter(batch=batch).count() == 20
    spot = Spot.objects.get(spot_id="430902000003")
    assert spot.area == Decimal("3.50") and spot.forbidden_area == 1 and spot.farmland_area == Decimal("0.20")
    assert spot.unit == region.county_a and spot.judgment == ""


def test_a_geojson_batch_keeps_the_polygons(region, users):
    ring = [[112.3, 28.5], [112.31, 28.5], [112.31, 28.51], [112.3, 28.5]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"spot_id": "G1", "division": "430902", "year": 2026, "area": 2},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    spot_import(actor=users["county_reviewer"], unit=region.county_a, year=2026, data=json.dumps(doc).encode(),
                name="spots.geojson")
    assert Spot.objects.get(spot_id="G1").geometry["type"] == "Polygon"


def test_duplicate_ids_and_bad_rows_refuse_the_whole_file_naming_each_row(region, users):
    bad = CSV + "430902000005,430902,2026,1,0,0,0\n,430902,2026,x,0,0,0\n430902999,430902,2025,1,0,0,0\n"
    with pytest.raises(SpotImportError) as exc:
        spot_import(actor=users["county_reviewer"], unit=region.county_a, year=2026, data=bad.encode(), name="b.csv")
    text = "\n".join(exc.value.messages)
    assert "row 22, spot_id: 430902000005 repeats row 6" in text
    assert "row 23, spot_id: missing" in text and "row 23, area" in text and "row 24, year" in text
    assert not Spot.objects.exists() and not SpotBatch.objects.exists()
    spot_import(actor=users["county_reviewer"], unit=region.county_a, year=2026, data=CSV.encode(), name="a.csv")
    with pytest.raises(SpotImportError, match="already imported"):
        spot_import(actor=users["county_reviewer"], unit=region.county_a, year=2026, data=CSV.encode(), name="a.csv")
    assert Spot.objects.count() == 20


def _png():
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buf, "PNG")
    return SimpleUploadedFile("举证.png", buf.getvalue())


def test_judging_needs_proof_for_legal_and_the_rates_count_against_the_targets(region, users):
    reviewer = users["county_reviewer"]
    spot_import(actor=reviewer, unit=region.county_a, year=2026, data=CSV.encode(), name="a.csv")
    spots = list(Spot.objects.order_by("spot_id"))
    with pytest.raises(ValidationError, match="proof"):
        spot_judge(actor=reviewer, spot=spots[0], judgment=Judgment.LEGAL)
    spot_judge(actor=reviewer, spot=spots[0], judgment=Judgment.LEGAL, proofs=[_png()])
    # 10 illegal: 10 filed or further (handled), 9 decided or further, 8 executed or rectified.
    states = [CaseState.FILED] + [CaseState.DECIDED] + [CaseState.EXECUTED] * 7 + [CaseState.CLOSED]
    for spot, state in zip(spots[1:11], states, strict=True):
        case = published_case(region.office_a1, state=state, published_on=None)
        spot_judge(actor=reviewer, spot=spot, judgment=Judgment.ILLEGAL, case=case)
    rates = figures.spot_rates(reviewer, region.county_a, 2026)
    assert [(r.numerator, r.denominator) for r in rates] == [(10, 10), (9, 10), (8, 10)]
    assert [r.met for r in rates] == [True, False, False] and rates[2].percent == Decimal("80.0")
    # County B sees nothing of county A.
    assert figures.spot_rates(users["other_county_head"], region.county_a, 2026)[0].denominator == 0
