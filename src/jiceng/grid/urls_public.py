"""Pages without log-in: the public notice of each grid (第二十一条) and its poster."""

from django.urls import path

from . import notice

app_name = "grid_public"
urlpatterns: list = [
    path("grid-notice/<str:code>/", notice.notice, name="notice"),
    path("grid-notice/<str:code>/poster.pdf", notice.poster, name="poster"),
]
