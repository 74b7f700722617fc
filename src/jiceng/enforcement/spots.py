"""Satellite spots (卫片): import a year's batch (CSV or GeoJSON), all or nothing; judge; the three rates.

The file's columns (CSV header, or GeoJSON feature properties): spot_id / 图斑编号, division / 行政区划,
year / 年度, area / 面积, permitted_area / 合法面积, forbidden_area / 禁建面积, farmland_area / 基本农田.
A duplicate id (within the file, or already stored for the year) refuses the whole file with every row
named. Rows go in with bulk inserts in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.attachments import attachment_add
from jiceng.core.models import EventType

from .access import require
from .capabilities import SPOT_IMPORT, SPOT_JUDGE
from .geo import clean_geometry
from .models import Case, CaseState, Judgment, Spot, SpotBatch

ALIASES = {
    "spot_id": ("spot_id", "图斑编号", "tbbh"),
    "division": ("division", "行政区划", "xzqdm"),
    "year": ("year", "年度"),
    "area": ("area", "面积", "tbmj"),
    "permitted_area": ("permitted_area", "合法面积"),
    "forbidden_area": ("forbidden_area", "禁建面积"),
    "farmland_area": ("farmland_area", "基本农田"),
}
REQUIRED = ("spot_id", "division", "year", "area")
MAX_ERRORS = 200
BATCH = 5000


@dataclass
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self):
        return _("row %(row)d, %(field)s: %(reason)s") % {"row": self.row, "field": self.field, "reason": self.reason}


class SpotImportError(ValidationError):
    def __init__(self, errors: list[RowError]):
        self.errors_list = errors
        head = _("The file was refused (%(n)d errors); nothing was saved.") % {"n": len(errors)}
        super().__init__([head, *[str(e) for e in errors[:MAX_ERRORS]]])


def _records(data: bytes, name: str):
    """(row number, properties, geometry) of each record of a CSV or GeoJSON file."""
    text = data.decode("utf-8-sig")
    if name.lower().endswith((".geojson", ".json")):
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise SpotImportError([RowError(0, "file", _("not valid JSON (%(e)s)") % {"e": exc})]) from None
        features = doc.get("features") if isinstance(doc, dict) else None
        if not isinstance(features, list):
            raise SpotImportError([RowError(0, "file", _("a GeoJSON FeatureCollection is expected"))])
        for i, f in enumerate(features, start=1):
            f = f if isinstance(f, dict) else {}
            yield i, f.get("properties") or {}, f.get("geometry")
    else:
        for i, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            yield i, row, None


def _pick(props: dict, key: str):
    for alias in ALIASES[key]:
        if alias in props and props[alias] not in (None, ""):
            return props[alias]
    return None


def _decimal(value, row, field, errors):
    if value is None:
        return Decimal("0")
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append(RowError(row, field, _("“%(v)s” is not a number") % {"v": value}))
        return None
    if d < 0 or not d.is_finite():
        errors.append(RowError(row, field, _("must be zero or more")))
        return None
    return d


def spot_import(*, actor, unit, year: int, data: bytes, name: str, batch_name: str = "") -> SpotBatch:
    """Import a year's spots for `unit` (a county) from CSV or GeoJSON bytes; all or nothing."""
    require(actor, SPOT_IMPORT, unit)
    errors: list[RowError] = []
    rows = []
    seen: dict[str, int] = {}
    for i, props, geometry in _records(data, name):
        spot_id = str(_pick(props, "spot_id") or "").strip()
        if not spot_id:
            errors.append(RowError(i, "spot_id", _("missing")))
        elif spot_id in seen:
            errors.append(RowError(i, "spot_id", _("%(id)s repeats row %(first)d") % {"id": spot_id, "first": seen[spot_id]}))
        else:
            seen[spot_id] = i
        division = str(_pick(props, "division") or "").strip()
        if not division:
            errors.append(RowError(i, "division", _("missing")))
        raw_year = _pick(props, "year")
        try:
            row_year = int(str(raw_year).strip()) if raw_year is not None else year
        except ValueError:
            errors.append(RowError(i, "year", _("“%(v)s” is not a year") % {"v": raw_year}))
            row_year = year
        if row_year != year:
            errors.append(RowError(i, "year", _("%(v)s is not the batch's year %(year)d") % {"v": row_year, "year": year}))
        if _pick(props, "area") is None:
            errors.append(RowError(i, "area", _("missing")))
        values = {k: _decimal(_pick(props, k), i, k, errors) for k in ("area", "permitted_area", "forbidden_area",
                                                                        "farmland_area")}
        geom = None
        if geometry:
            try:
                geom = clean_geometry(geometry, field="geometry")
            except ValidationError as exc:
                errors.append(RowError(i, "geometry", exc.message_dict["geometry"][0]))
        rows.append((spot_id, division, values, geom))
        if len(errors) >= MAX_ERRORS:
            break
    if not rows and not errors:
        errors.append(RowError(0, "file", _("the file has no spots")))
    if not errors:
        existing = set()
        ids = list(seen)
        for start in range(0, len(ids), 10000):
            existing |= set(Spot.objects.filter(year=year, spot_id__in=ids[start:start + 10000])
                            .values_list("spot_id", flat=True))
        errors += [RowError(seen[s], "spot_id", _("%(id)s is already imported for %(year)d") % {"id": s, "year": year})
                   for s in sorted(existing, key=seen.get)]
    if errors:
        raise SpotImportError(errors)
    with transaction.atomic():
        batch = SpotBatch.objects.create(unit=unit, year=year, name=batch_name or f"{year}年度卫片图斑",
                                         source_name=name[:200], imported_by=actor, rows=len(rows))
        _insert(unit, batch, year, rows)
        audit.record(EventType.IMPORT, actor=actor, subject=batch, unit=unit,
                     after={"year": year, "spots": len(rows), "file": name})
    return batch


def _insert(unit, batch, year, rows) -> None:
    """Bulk insert in the caller's transaction: COPY on PostgreSQL, bulk_create elsewhere."""
    from django.db import connection

    if connection.vendor == "postgresql":
        columns = ("unit_id", "batch_id", "spot_id", "division", "year", "area", "permitted_area", "forbidden_area",
                   "farmland_area", "geometry", "judgment", "judgment_note", "rectified")
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {Spot._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
            for s, d, v, g in rows:
                copy.write_row((unit.pk, batch.pk, s, d, year, v["area"], v["permitted_area"], v["forbidden_area"],
                                v["farmland_area"], json.dumps(g) if g else None, "", "", False))
        return
    objs = [Spot(unit=unit, batch=batch, spot_id=s, division=d, year=year, geometry=g, **v) for s, d, v, g in rows]
    Spot.objects.bulk_create(objs, batch_size=BATCH)


def spot_judge(*, actor, spot: Spot, judgment: str, note: str = "", proofs=(), case: Case | None = None) -> Spot:
    """Judge a spot (合法 / 违法 / 其他) with its proof files; an illegal spot may be linked to its case."""
    require(actor, SPOT_JUDGE, spot.unit)
    errors = {}
    if judgment not in (Judgment.LEGAL, Judgment.ILLEGAL, Judgment.OTHER):
        errors["judgment"] = _("Choose legal, illegal or other.")
    if judgment in (Judgment.LEGAL, Judgment.OTHER) and not proofs and not spot.proofs.exists():
        errors["proofs"] = _("A spot judged legal or other needs its proof files (举证).")
    if case is not None and judgment != Judgment.ILLEGAL:
        errors["case"] = _("Only an illegal spot is linked to a case.")
    if case is not None and not case.unit.is_descendant_of(spot.unit) and case.unit_id != spot.unit_id:
        errors["case"] = _("The case belongs to another county.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        spot = Spot.objects.select_for_update().get(pk=spot.pk)
        stored = [attachment_add(actor=actor, unit=spot.unit, upload=f, purpose="enforcement.spot_proof",
                                 field="proofs") for f in proofs]
        if stored:
            spot.proofs.add(*stored)
        spot.judgment, spot.judgment_note, spot.judged_on = judgment, note.strip(), timezone.localdate()
        spot.case = case if judgment == Judgment.ILLEGAL else None
        spot.save()
        audit.record(EventType.UPDATE, actor=actor, subject=spot, after={
            "judgment": judgment, "case": case.number if case else None, "proofs": len(stored)})
    return spot


HANDLED = (CaseState.FILED, CaseState.INVESTIGATED, CaseState.NOTIFIED, CaseState.REVIEWED, CaseState.DECIDED,
           CaseState.SERVED, CaseState.EXECUTED, CaseState.CLOSED, CaseState.ARCHIVED)
PUNISHED = (CaseState.DECIDED, CaseState.SERVED, CaseState.EXECUTED, CaseState.CLOSED, CaseState.ARCHIVED)
RECTIFIED = (CaseState.EXECUTED, CaseState.CLOSED, CaseState.ARCHIVED)
__all__ = ["spot_import", "spot_judge", "SpotImportError", "HANDLED", "PUNISHED", "RECTIFIED"]
