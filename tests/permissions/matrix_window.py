"""window's routes: the public catalogue and guides (no log-in), and the staff pages of county A's cases.

The case is received at 甲镇 (township A) by its window staff, for an item of office CA1 that is
accepted across townships. Staff pages need one of the window's capabilities (else 403, recorded);
a case outside the user's subtree is the audited 404; lists and figures show an outsider nothing.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jiceng.window.capabilities import FIGURES, INTAKE, MANAGE_CATALOGUE

from .kit import EMPTY, FORBIDDEN, PUBLIC, Route

TZ = ZoneInfo("Asia/Shanghai")


def _item_obj(w):
    def build():
        from jiceng.window import catalogue

        elements = {"name": "矩阵事项", "item_type": "licence", "department": "自然资源所", "implementing_body": "甲一所",
                    "legal_basis": "《土地管理法》", "statutory_days": 20, "promised_days": 10, "cross_township": True}
        return catalogue.create_item(w.region.office_a1, actor=w.users["office_head"], code="MATRIX-001",
                                     reason="矩阵", elements=elements, materials=[{"name": "身份证"}])

    return w.once("window_item", build)


def _item(w) -> dict:
    return {"code": _item_obj(w).code}


def _case_obj(w):
    def build():
        from jiceng.window import services

        return services.intake(w.region.township_a, _item_obj(w), actor=w.users["window_staff"],
                               applicant_kind="person", applicant_name="矩阵申请人", id_number="11010519491231002X",
                               phone="13800138000", now=datetime(2026, 11, 2, 9, tzinfo=TZ))

    return w.once("window_case", build)


def _case(w) -> dict:
    return {"pk": _case_obj(w).pk}


def _step(w) -> dict:
    return {"pk": _case_obj(w).pk, "step": "accept"}


def _decided(w):
    def build():
        from jiceng.window import services

        case = _case_obj(w)
        now = datetime(2026, 11, 2, 10, tzinfo=TZ)
        case = services.accept(case, actor=None, expected_version=case.version, now=now)
        case = services.review(case, actor=None, expected_version=case.version, opinion="同意", now=now)
        return services.decide(case, actor=None, expected_version=case.version, outcome="granted", text="准予", now=now)

    return w.once("window_decided", build)


def _notice(w):
    def build():
        from jiceng.window import services

        case = _case_obj(w)
        return services.give_notice(case, actor=w.users["window_staff"], expected_version=case.version,
                                    items=[{"material": "身份证", "problem": "未提交"}],
                                    now=datetime(2026, 11, 2, 10, tzinfo=TZ))

    return w.once("window_notice", build)


def _state(w):
    from jiceng.window.models import Case

    return list(Case.objects.filter(pk=_case_obj(w).pk).values("state", "version"))


def _secret(w) -> list[str]:
    return [_case_obj(w).number, "矩阵申请人"]


def _import_payload(w) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiceng.window import catalogue_io

    item = _item_obj(w)
    content = catalogue_io.export_xlsx([item])
    import io

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    ws.cell(2, 10, 8)  # 承诺时限（工作日）
    out = io.BytesIO()
    wb.save(out)
    return {"unit": w.region.office_a1.pk,
            "file": SimpleUploadedFile("目录.xlsx", out.getvalue(), content_type="application/octet-stream")}


def _versions(w):
    from jiceng.window.models import ServiceItemVersion

    return list(ServiceItemVersion.objects.filter(item=_item_obj(w)).values_list("number", "promised_days"))


_STAFF = {"denied": FORBIDDEN, "wrong_role": "office_staff", "wrong_status": FORBIDDEN}

ROUTES = [
    Route("window_public:guide_index", PUBLIC),
    Route("window_public:guide_detail", PUBLIC, kwargs=_item),
    Route("window_public:guide_pdf", PUBLIC, kwargs=_item),
    Route("window:case_list", FIGURES, outside=EMPTY, secret=_secret, kwargs=lambda w: _case(w) and {}, **_STAFF),
    Route("window:figures", FIGURES, outside=EMPTY, secret=lambda w: ["甲镇"], kwargs=lambda w: _case(w) and {},
          **_STAFF),
    Route("window:intake", INTAKE, actor="window_staff", scoped=False, **_STAFF),
    Route("window:case_detail", FIGURES, kwargs=_case, **_STAFF),
    # No user of the world holds window.intake outside county A, so the other county's audited 404 for a step
    # is checked by tests/test_permission_matrix.py (OBJECT_ROUTES), with county B's office head.
    Route("window:case_step", INTAKE, methods=("post",), actor="window_staff", kwargs=_step, scoped=False,
          payload=lambda w: {"version": _case_obj(w).version}, effect=_state, **_STAFF),
    Route("window:catalogue", MANAGE_CATALOGUE, actor="office_head", outside=EMPTY, kwargs=lambda w: _item(w) and {},
          secret=lambda w: ["MATRIX-001"], **_STAFF),
    Route("window:catalogue_export", MANAGE_CATALOGUE, actor="office_head", scoped=False, **_STAFF),
    Route("window:catalogue_import", MANAGE_CATALOGUE, methods=("post",), actor="office_head",
          payload=_import_payload, effect=_versions, **_STAFF),
    Route("window:notice_document", FIGURES, kwargs=lambda w: {"pk": _notice(w).pk, "fmt": "docx"}, **_STAFF),
    Route("window:decision_document", FIGURES, kwargs=lambda w: {"pk": _decided(w).pk, "fmt": "docx"}, **_STAFF),
]
