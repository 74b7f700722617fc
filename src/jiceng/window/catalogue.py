"""The catalogue's use cases: a new item, a new version of its elements and guide (who, why).

    item = create_item(centre, actor=head, code="640522-TD-001", reason="首次公布", elements={...},
                       materials=[{"name": "身份证", "original": True, "copies": 1, "required": True}])
    revise_item(item, actor=head, reason="压缩承诺时限", elements={"promised_days": 3})

Every change is a new ServiceItemVersion; cases pin the version they were received under.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.core.refusals import OutOfScope
from jiceng.core.scoping import holds

from .capabilities import MANAGE_CATALOGUE
from .models import HandlingLevel, ItemClass, ItemType, Material, ServiceItem, ServiceItemVersion

CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{2,39}$")
REQUIRED = ("name", "item_type", "department", "implementing_body", "legal_basis", "statutory_days", "promised_days")
TEXT = ("name", "department", "implementing_body", "legal_basis", "conditions", "procedure", "place", "hours", "phone")
FLAGS = ("no_fee", "tag_immediate", "tag_online", "tag_nearby", "tag_once", "agency_point", "grid_help",
         "bank_partner", "cross_township")
CHOICES = {"item_type": ItemType, "item_class": ItemClass, "handling_level": HandlingLevel}
ELEMENTS = (*TEXT, *FLAGS, *CHOICES, "statutory_days", "promised_days", "fees")
MATERIAL_FIELDS = ("name", "original", "copies", "required", "blank_form", "sample")


def clean_elements(data: dict) -> dict:
    """The elements of a version, checked; every problem at once, by field."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(ELEMENTS))
    for key in unknown:
        errors[key] = [_("Not an element of a service item.")]
    out: dict = {}
    for key in TEXT:
        out[key] = str(data.get(key) or "").strip()
    for key in FLAGS:
        out[key] = bool(data.get(key, key == "no_fee"))
    for key, choices in CHOICES.items():
        value = data.get(key) or {"item_class": ItemClass.LIMITED, "handling_level": HandlingLevel.TOWNSHIP}.get(key, "")
        if value not in choices.values:
            errors[key] = [_("“%(value)s” is not one of: %(choices)s") % {"value": value,
                                                                          "choices": ", ".join(choices.values)}]
        out[key] = value
    for key in ("statutory_days", "promised_days"):
        try:
            out[key] = int(data.get(key))
            if out[key] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors[key] = [_("A whole number of working days (0 or more).")]
    for key in REQUIRED:
        if key not in errors and out.get(key) in ("", None):
            errors[key] = [_("This element is required.")]
    if "statutory_days" not in errors and "promised_days" not in errors and out["promised_days"] > out["statutory_days"]:
        errors["promised_days"] = [_("The promised limit (%(p)d) cannot be longer than the statutory limit (%(s)d).")
                                   % {"p": out["promised_days"], "s": out["statutory_days"]}]
    fees = data.get("fees") or []
    clean_fees = []
    for n, fee in enumerate(fees, start=1):
        row = {k: str(fee.get(k) or "").strip() for k in ("item", "basis", "standard")}
        if not all(row.values()):
            errors.setdefault("fees", []).append(_("Fee %(n)d: give the item, its basis and its standard.") % {"n": n})
        clean_fees.append(row)
    out["fees"] = clean_fees
    if out["no_fee"] and clean_fees:
        errors.setdefault("fees", []).append(_("An item marked “no fee” lists no fees."))
    if not out["no_fee"] and not clean_fees and "fees" not in errors:
        errors["fees"] = [_("List the fees, or mark the item “no fee” (不收费).")]
    if out["item_class"] == ItemClass.INSTANT and out.get("promised_days") not in (0, None):
        errors.setdefault("promised_days", []).append(_("An item completed on the spot has a promised limit of 0."))
    if errors:
        raise ValidationError(errors)
    return out


def clean_materials(materials) -> list[dict]:
    errors = []
    out = []
    for n, m in enumerate(materials or [], start=1):
        name = str(m.get("name") or "").strip()
        try:
            copies = int(m.get("copies", 1))
        except (TypeError, ValueError):
            copies = -1
        if not name:
            errors.append(_("Material %(n)d: the name is required.") % {"n": n})
        if copies < 0:
            errors.append(_("Material %(n)d: copies must be a whole number.") % {"n": n})
        out.append({"name": name, "original": bool(m.get("original")), "copies": max(copies, 0),
                    "required": bool(m.get("required", True)), "blank_form": m.get("blank_form"),
                    "sample": m.get("sample")})
    if errors:
        raise ValidationError({"materials": errors})
    return out


def _check(actor, unit):
    if not holds(actor, MANAGE_CATALOGUE, unit):
        raise OutOfScope({"actor": actor, "details": {"action": MANAGE_CATALOGUE}})


def _write_version(item, number, actor, reason, elements, materials) -> ServiceItemVersion:
    ServiceItemVersion.objects.filter(item=item, is_current=True).update(is_current=False)
    version = ServiceItemVersion.objects.create(item=item, number=number, changed_by=actor, change_reason=reason,
                                                is_current=True, **elements)
    Material.objects.bulk_create([Material(version=version, order=i, **m) for i, m in enumerate(materials)])
    item._current = version
    return version


def create_item(unit, *, actor, code: str, reason: str, elements: dict, materials=()) -> ServiceItem:
    _check(actor, unit)
    code = (code or "").strip()
    errors: dict[str, list[str]] = {}
    if not CODE.match(code):
        errors["code"] = [_("3 to 40 letters, digits and hyphens.")]
    elif ServiceItem.objects.filter(code=code).exists():
        errors["code"] = [_("The code %(code)s is taken (codes are unique on the platform).") % {"code": code}]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the item is published.")]
    for clean, arg in ((clean_elements, elements), (clean_materials, materials)):
        try:
            clean(arg)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    elements, materials = clean_elements(elements), clean_materials(materials)
    with transaction.atomic():
        item = ServiceItem.objects.create(unit=unit, code=code)
        version = _write_version(item, 1, actor, reason.strip(), elements, materials)
        audit.record(EventType.CREATE, actor=actor, subject=item, unit=unit, reason=reason,
                     after={"code": code, "version": 1, "name": version.name, "materials": len(materials)})
    return item


def version_elements(version: ServiceItemVersion) -> dict:
    return {key: getattr(version, key) for key in ELEMENTS}


def version_materials(version: ServiceItemVersion) -> list[dict]:
    return [{"name": m.name, "original": m.original, "copies": m.copies, "required": m.required,
             "blank_form": m.blank_form, "sample": m.sample} for m in version.materials.all()]


def version_materials_plain(version: ServiceItemVersion) -> list[dict]:
    """The materials as the import reads them (name, original, copies, required)."""
    return [{"name": m.name, "original": m.original, "copies": m.copies, "required": m.required}
            for m in version.materials.all()]


def revise_item(item: ServiceItem, *, actor, reason: str, elements: dict | None = None,
                materials=None) -> ServiceItemVersion:
    """A new version: the current one with ``elements`` changed (and the materials replaced when given)."""
    _check(actor, item.unit)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the item changes.")]})
    current = item.current
    merged = {**version_elements(current), **(elements or {})}
    clean = clean_elements(merged)
    mats = clean_materials(materials) if materials is not None else version_materials(current)
    changed = {k: v for k, v in clean.items() if getattr(current, k) != v}
    if not changed and materials is None:
        raise ValidationError({"elements": [_("Nothing changed: no new version was made.")]})
    with transaction.atomic():
        locked = ServiceItem.objects.select_for_update().get(pk=item.pk)
        number = locked.versions.count() + 1
        version = _write_version(locked, number, actor, reason.strip(), clean, mats)
        audit.record(EventType.UPDATE, actor=actor, subject=locked, reason=reason,
                     before={k: getattr(current, k) for k in changed}, after={**changed, "version": number})
    item.refresh_from_db()
    item._current = version
    return version
