"""Pages without log-in."""

from django.urls import path  # noqa: F401

app_name = "grid_public"
urlpatterns: list = []
