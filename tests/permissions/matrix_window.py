"""window's routes: the public catalogue and guides (no log-in, the same for everyone)."""

from __future__ import annotations

from .kit import PUBLIC, Route


def _item(w) -> dict:
    def build():
        from jiceng.window import catalogue

        elements = {"name": "矩阵事项", "item_type": "licence", "department": "自然资源所", "implementing_body": "甲一所",
                    "legal_basis": "《土地管理法》", "statutory_days": 20, "promised_days": 10}
        return catalogue.create_item(w.region.office_a1, actor=w.users["office_head"], code="MATRIX-001",
                                     reason="矩阵", elements=elements, materials=[{"name": "身份证"}])

    return {"code": w.once("window_item", build).code}


ROUTES = [
    Route("window_public:guide_index", PUBLIC),
    Route("window_public:guide_detail", PUBLIC, kwargs=_item),
    Route("window_public:guide_pdf", PUBLIC, kwargs=_item),
]
