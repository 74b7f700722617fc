"""Pages without log-in."""

from django.urls import path  # noqa: F401

app_name = "window_public"
urlpatterns: list = []
