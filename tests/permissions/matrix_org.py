"""The org app's routes: the unit tree, staff records, their exports, imports and unmasking.

The data is county A's (office CA1, the head's office; CA2 beside it). Scoped lookups answer
a user without the right in that subtree with the audited 404; lists answer with what the
user may see (nothing of county A for county B).
"""

from __future__ import annotations

from jiceng.core.capabilities import EDIT, VIEW
from jiceng.org.capabilities import UNMASK

from .kit import EMPTY, FORBIDDEN, LOGIN, Route, county_a_names, form_payload


def staff_of(unit):
    from jiceng.org.models import Staff

    return Staff.objects.filter(unit=unit).order_by("pk").first()


def _a1_staff(w) -> dict:
    return {"pk": staff_of(w.region.office_a1).pk}


def _a1_staff_state(w):
    from jiceng.org.models import Staff

    return list(Staff.objects.filter(unit=w.region.office_a1).order_by("pk").values())


def _a1_state(w):
    from jiceng.org.models import Unit

    return list(Unit.objects.filter(pk=w.region.office_a1.pk).values())


def _staff_payload(w):
    from jiceng.org.forms import StaffForm

    staff = staff_of(w.region.office_a1)
    return form_payload(staff, StaffForm.Meta.fields, name="矩阵改名", reason="矩阵")


def _new_staff_payload(w):
    return {"unit": w.region.office_a1.pk, "name": "矩阵新人", "gender": "f", "education": "bachelor",
            "employment_type": "agency", "post": "window", "political_status": "cyl", "active": "on",
            "reason": "矩阵"}


def _unit_payload(w):
    from jiceng.org.services import UNIT_FACT_FIELDS

    return form_payload(w.region.office_a1, UNIT_FACT_FIELDS, address="矩阵路1号", reason="矩阵")


def _a1_phone(w) -> list[str]:
    return [_with_phone(w).phone]


def _unmask_state(w):
    from jiceng.core.models import AuditEvent, EventType

    return AuditEvent.objects.filter(event_type=EventType.UNMASK).count()


def _a1_staff_ids(w):
    from jiceng.org.models import Staff

    return list(Staff.objects.filter(unit=w.region.office_a1).order_by("pk").values_list("pk", flat=True))


def _with_phone(w):
    # A person of office A1 with a phone to unmask (the shared region's staff have none).
    from factories import make_staff

    return w.once("with_phone", lambda: make_staff(w.region.office_a1, phone="13800001234"))


def _set_phone(w) -> dict:
    return {"pk": _with_phone(w).pk, "field": "phone"}


def _staff_sheet(w):
    """An xlsx of one new person of office A1, as the staff import template is filled in."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from jiceng.core import pii
    from jiceng.core.tabular.columns import zh_label
    from jiceng.org import models
    from jiceng.org.importers import StaffImport

    body = "33100219800101" + "077"
    row = {"单位编码": w.region.office_a1.code, "姓名": "矩阵导入", "性别": zh_label(dict(models.Gender.choices)["m"]),
           "身份证号": body + pii.id_check_digit(body), "学历": zh_label(dict(models.Education.choices)["bachelor"]),
           "政治面貌": zh_label(dict(models.PoliticalStatus.choices)["cpc"]),
           "用工类型": zh_label(dict(models.EmploymentType.choices)["agency"]),
           "岗位": zh_label(dict(models.Post.choices)["staff"]), "在岗": "是"}
    book = Workbook()
    sheet = book.active
    sheet.title = StaffImport.sheet_name
    headers = [c.header for c in StaffImport.columns]
    sheet.append(headers)
    sheet.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    book.save(out)
    return {"file": SimpleUploadedFile("矩阵.xlsx", out.getvalue()), "import": "1"}


def _all_staff(w):
    from jiceng.org.models import Staff

    return list(Staff.objects.order_by("pk").values_list("pk", "unit_id", "name"))


def _county_a(w) -> list[str]:
    return county_a_names(w)


ROUTES = [
    Route("org:unit_tree", VIEW, outside=EMPTY, denied=EMPTY, secret=_county_a),
    Route("org:unit_detail", VIEW, kwargs=lambda w: {"pk": w.region.office_a1.pk}),
    Route("org:unit_children", VIEW, kwargs=lambda w: {"pk": w.region.township_a.pk}),
    Route(
        "org:unit_edit", EDIT, methods=("get", "post"), kwargs=lambda w: {"pk": w.region.office_a1.pk},
        wrong_role="office_staff", payload=_unit_payload, effect=_a1_state,
    ),
    Route("org:staff_list", VIEW, outside=EMPTY, denied=EMPTY, secret=_county_a),
    Route(
        # Who may edit no unit at all is refused the form (403); a unit out of the user's editable
        # scope is refused by the form's unit list (the page answers 200 with the error, nothing saved).
        "org:staff_create", EDIT, methods=("get", "post"), denied=FORBIDDEN, outside=EMPTY, secret=_county_a,
        wrong_role="office_staff", payload=_new_staff_payload,
        effect=lambda w: sorted(_a1_staff_state(w), key=lambda s: s["id"]),
    ),
    Route("org:staff_detail", VIEW, kwargs=_a1_staff),
    Route(
        "org:staff_edit", EDIT, methods=("get", "post"), kwargs=_a1_staff, wrong_role="office_staff",
        payload=_staff_payload, effect=_a1_staff_state,
    ),
    Route(
        "org:staff_delete", EDIT, methods=("post",), kwargs=_a1_staff, wrong_role="office_staff",
        payload=lambda w: {"reason": "矩阵"}, effect=_a1_staff_ids,
    ),
    Route(
        "org:staff_unmask", UNMASK, methods=("post",), kwargs=_set_phone, wrong_role="office_staff", wrong_status=FORBIDDEN,
        post_ok=(200,), payload=lambda w: {"reason": "矩阵核对"}, effect=_unmask_state, secret=_a1_phone,
    ),
    Route("org:staff_export", VIEW, outside=EMPTY, denied=EMPTY),
    Route("org:unit_export", VIEW, outside=EMPTY, denied=EMPTY),
    # The import pages of core.imports: for who may edit somewhere (units: with STRUCTURE too).
    # Out of scope, the row naming office A1 is refused with its line (422) and nothing is saved.
    Route("org:import_staff", EDIT, methods=("get", "post"), denied=FORBIDDEN, wrong_role="office_staff",
          outside=EMPTY, outside_post=422, post_ok=(200,), payload=_staff_sheet, effect=_all_staff),
    # Units too: the page is for every editor (unit facts); creating units needs STRUCTURE row by row.
    Route("org:import_units", EDIT, scoped=False, denied=FORBIDDEN, wrong_role="office_staff"),
    Route("org:import_template_staff", EDIT, scoped=False, denied=FORBIDDEN, wrong_role="office_staff"),
    Route("org:import_template_units", EDIT, scoped=False, denied=FORBIDDEN, wrong_role="office_staff"),
    # The marked-up copy of a refused import: only the session that uploaded it holds its token.
    Route("org:import_errors", LOGIN, scoped=False, ok=(404,)),
    Route("home", VIEW, outside=EMPTY, denied=EMPTY, secret=_county_a),
]
