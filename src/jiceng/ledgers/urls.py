from django.urls import path

from jiceng.core.urls_import import import_urls

from . import views
from .listings import IMPORTABLE
from .specs import SPECS

app_name = "ledgers"
urlpatterns = [
    path("", views.ledger_index, name="index"),
    *import_urls(*[f"ledgers_{kind}" for kind in IMPORTABLE]),
    # One list (with its xlsx export, ?format=xlsx) and one new-row page per ledger: `ledgers:<kind>_list`.
    *[p for kind in SPECS for p in (
        path(f"{kind}/", views.row_list, {"kind": kind}, name=f"{kind}_list"),
        path(f"{kind}/new/", views.row_create, {"kind": kind}, name=f"{kind}_create"),
    )],
    path("<str:kind>/<int:pk>/", views.row_detail, name="row"),
    path("<str:kind>/<int:pk>/step/", views.row_step, name="step"),
    path("<str:kind>/<int:pk>/files/", views.row_attach, name="attach"),
]
