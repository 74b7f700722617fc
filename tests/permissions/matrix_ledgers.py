"""ledgers' routes: the index, each ledger's list (with export) and new-row page, a row (edit, history, steps,
files), and the generic import pages of the importable ledgers."""

from __future__ import annotations

from jiceng.core.capabilities import VIEW
from jiceng.ledgers.capabilities import KEEP
from jiceng.ledgers.listings import IMPORTABLE
from jiceng.ledgers.specs import SPECS

from .kit import EMPTY, FORBIDDEN, LOGIN, Route

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _petition(w) -> dict:
    from ledgers.objects import petition_of

    return {"kind": "petitions", "pk": w.once("petition", lambda: petition_of(w.region)).pk}


def _petitions(w):
    from jiceng.ledgers.models import Petition

    return list(Petition.objects.order_by("pk").values_list("pk", "state", "version", "handling"))


def _files(w):
    from jiceng.ledgers.models import RowFile

    return list(RowFile.objects.order_by("pk").values_list("pk", "row_id"))


def _file(w) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("矩阵.pdf", PDF, content_type="application/pdf")}


_STAFF = {"actor": "office_staff", "denied": FORBIDDEN, "wrong_role": "county_reviewer"}

ROUTES = [
    Route("ledgers:index", VIEW, denied=FORBIDDEN, outside=EMPTY),
    Route("ledgers:row", VIEW, kwargs=_petition, denied=FORBIDDEN),
    Route("ledgers:step", KEEP, methods=("post",), kwargs=_petition, effect=_petitions,
          payload=lambda w: {"step": "handle", "handling": "矩阵办理", "version": "1"}, **_STAFF),
    Route("ledgers:attach", KEEP, methods=("post",), kwargs=_petition, effect=_files, payload=_file, **_STAFF),
    Route("ledgers:import_errors", LOGIN, scoped=False, ok=(404,)),
    # The petitions list shows county A's petitions to county A only.
    *[Route(f"ledgers:{kind}_list", VIEW, denied=FORBIDDEN, outside=EMPTY,
            kwargs=(lambda w: _petition(w) and {}) if kind == "petitions" else (lambda w: {}),
            secret=(lambda w: ["矩阵信访事项"]) if kind == "petitions" else None) for kind in SPECS],
    # A new row: the form offers only the units where the user keeps ledgers.
    *[Route(f"ledgers:{kind}_create", KEEP, outside=EMPTY, secret=lambda w: [w.region.office_a1.name], **_STAFF)
      for kind in SPECS],
    *[Route(f"ledgers:{name}_ledgers_{kind}", KEEP, scoped=False, denied=FORBIDDEN, actor="office_head",
            wrong_role="county_reviewer")
      for kind in IMPORTABLE for name in ("import", "import_template")],
]
