"""Pages without log-in: the catalogue and its guides."""

from django.urls import path

from . import views_public

app_name = "window_public"
urlpatterns: list = [
    path("guide/", views_public.guide_index, name="guide_index"),
    path("guide/<str:code>/", views_public.guide_detail, name="guide_detail"),
    path("guide/<str:code>/pdf/", views_public.guide_pdf_view, name="guide_pdf"),
]
