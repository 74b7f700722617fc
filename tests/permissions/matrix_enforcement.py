"""enforcement's routes: the clue and case ledgers (county A's office CA1) and the public disclosure pages."""

from __future__ import annotations

from jiceng.core.capabilities import VIEW
from jiceng.enforcement.capabilities import CASE_WORK, CLUE_REGISTER

from .kit import EMPTY, FORBIDDEN, PUBLIC, Route


def _published(w) -> dict:
    from enforcement.builders import published_case

    return {"pk": w.once("published_case", lambda: published_case(w.region.office_a1)).pk}


def _clue(w):
    from enforcement.builders import clue

    return w.once("clue", lambda: clue(w.region.office_a1))


def _case(w, state="checked"):
    from enforcement.builders import case_in, certify

    certify(w.users["office_head"], w.region.office_a1)
    return w.once(f"case_{state}", lambda: case_in(w.region.office_a1, state, decided_on="2026-10-20"
                                                   if state == "served" else None))


def _clue_state(w):
    from jiceng.enforcement.models import Clue

    return list(Clue.objects.filter(pk=_clue(w).pk).values_list("state", "version"))


def _case_state(state):
    def read(w):
        from jiceng.enforcement.models import Case

        return list(Case.objects.filter(pk=_case(w, state).pk).values_list("state", "version", "published_on"))

    return read


def _documents(w):
    from jiceng.enforcement.models import CaseDocument

    return CaseDocument.objects.filter(case=_case(w)).count()


def _county_a_clues(w):
    return [_clue(w).number]


ROUTES = [
    Route("enforcement:clue_list", VIEW, outside=EMPTY, denied=EMPTY, secret=_county_a_clues),
    Route("enforcement:clue_create", CLUE_REGISTER, denied=FORBIDDEN, outside=EMPTY, wrong_role="window_staff",
          actor="office_head"),
    Route("enforcement:clue_detail", VIEW, kwargs=lambda w: {"pk": _clue(w).pk}),
    Route("enforcement:case_open", CASE_WORK, methods=("post",), kwargs=lambda w: {"pk": _clue(w).pk},
          actor="office_head", wrong_role="office_staff", wrong_status=FORBIDDEN,
          payload=lambda w: {"title": "矩阵案件", "party": "张三", "resource": "land"}, effect=_clue_state),
    Route("enforcement:case_list", VIEW, outside=EMPTY, denied=EMPTY,
          secret=lambda w: [_case(w).number]),
    Route("enforcement:case_detail", VIEW, kwargs=lambda w: {"pk": _case(w).pk}),
    # The workflow refuses a role without the step's capability with its audited 404 (core.workflow).
    Route("enforcement:case_step", CASE_WORK, methods=("post",), kwargs=lambda w: {"pk": _case(w, "found").pk},
          actor="office_head", wrong_role="office_staff",
          payload=lambda w: {"step": "check", "version": "1", "check_findings": "矩阵初查"},
          effect=_case_state("found")),
    Route("enforcement:case_document", CASE_WORK, methods=("post",), kwargs=lambda w: {"pk": _case(w).pk},
          actor="office_head", wrong_role="office_staff", wrong_status=FORBIDDEN,
          payload=lambda w: {"kind": "stop_order"}, effect=_documents),
    Route("enforcement:case_publish", CASE_WORK, methods=("post",), kwargs=lambda w: {"pk": _case(w, "served").pk},
          actor="office_head", wrong_role="office_staff", wrong_status=FORBIDDEN,
          payload=lambda w: {}, effect=_case_state("served")),
    Route("enforcement_public:disclosure_list", PUBLIC),
    Route("enforcement_public:disclosure_detail", PUBLIC, kwargs=_published),
]
