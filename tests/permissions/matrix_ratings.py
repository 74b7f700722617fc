"""ratings' routes: rating links of a case, the rectifications of poor ratings, the figures, the public page.

County A's data: an item of office CA1's window, a case received there by a window clerk of CA1 and
ended (not accepted), rated 不满意 through its link, so a rectification owned by the clerk is open. The
office head of CA1 holds every ratings capability there; county B's office head holds them elsewhere;
office staff of CA1 hold none (403).
"""

from __future__ import annotations

from jiceng.ratings.capabilities import FIGURES, INVITE, RECTIFY

from .kit import EMPTY, FORBIDDEN, PUBLIC, Route

HEAD = dict(actor="office_head", wrong_role="office_staff", denied=FORBIDDEN)
BAD = {"overall": "2", "efficiency": "2", "skill": "3", "attitude": "2", "comment": "矩阵差评"}


def _world(w):
    def build():
        from factories import make_user
        from jiceng.ratings import services
        from jiceng.window import catalogue
        from jiceng.window import services as window

        unit = w.region.office_a1
        clerk = make_user("matrix_clerk", "window_staff", unit)
        item = catalogue.create_item(unit, actor=w.users["office_head"], code="CA1-MATRIX-1", reason="矩阵", elements={
            "name": "矩阵事项", "item_type": "licence", "department": "自然资源所", "implementing_body": "甲县局",
            "legal_basis": "《土地管理法》", "statutory_days": 20, "promised_days": 10, "no_fee": True})
        case = window.intake(unit, item, actor=clerk, applicant_kind="person", applicant_name="矩阵申请人",
                             id_number="11010519491231002X", phone="13800138000")
        case = window.refuse(case, actor=clerk, expected_version=case.version, reason="不属于受理范围",
                             basis="《行政许可法》第三十二条")
        _, token = services.issue_invite(actor=clerk, case=case, channel="onsite")
        rating = services.rate(token=token, data=BAD)
        _, fresh = services.issue_invite(actor=clerk, case=case, channel="onsite")
        return {"case": case, "row": rating.rectification, "token": fresh}

    return w.once("ratings", build)


def _rows(model_name):
    def probe(w):
        from django.apps import apps

        _world(w)
        return list(apps.get_model("ratings", model_name).objects.order_by("pk").values())

    return probe


def _secret(w):
    return [_world(w)["case"].number]


ROUTES = [
    Route("ratings:invite", INVITE, methods=("post",), kwargs=lambda w: {"pk": _world(w)["case"].pk}, **HEAD,
          post_ok=(200,), payload=lambda w: {"channel": "onsite"}, effect=_rows("RatingInvite")),
    Route("ratings:rectification_list", RECTIFY, kwargs=lambda w: (_world(w), {})[1], outside=EMPTY,
          secret=_secret, **HEAD),
    Route("ratings:rectification_detail", RECTIFY, kwargs=lambda w: {"pk": _world(w)["row"].pk}, **HEAD),
    Route("ratings:rectification_step", RECTIFY, methods=("post",),
          kwargs=lambda w: {"pk": _world(w)["row"].pk, "step": "call_back"}, **HEAD,
          payload=lambda w: {"version": _world(w)["row"].version, "text": "矩阵回访"}, effect=_rows("Rectification")),
    Route("ratings:figures", FIGURES, kwargs=lambda w: (_world(w), {})[1], outside=EMPTY,
          secret=lambda w: ["甲一中心所"], **HEAD),
    Route("ratings_public:rate", PUBLIC, methods=("get", "post"), kwargs=lambda w: {"token": _world(w)["token"]},
          post_ok=(200,), payload=lambda w: dict(BAD), effect=_rows("Rating")),
]
