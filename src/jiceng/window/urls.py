from django.urls import path

from . import views

app_name = "window"
urlpatterns: list = [
    path("", views.case_list, name="case_list"),
    path("intake/", views.intake, name="intake"),
    path("figures/", views.figures_page, name="figures"),
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("catalogue/export/", views.catalogue_export, name="catalogue_export"),
    path("catalogue/import/", views.catalogue_import, name="catalogue_import"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/step/<str:step>/", views.case_step, name="case_step"),
    path("cases/<int:pk>/decision.<str:fmt>", views.decision_document, name="decision_document"),
    path("notices/<int:pk>.<str:fmt>", views.notice_document, name="notice_document"),
]
