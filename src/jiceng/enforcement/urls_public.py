"""Pages without log-in: the published penalty decisions."""

from django.urls import path

from . import views_public

app_name = "enforcement_public"
urlpatterns = [
    path("disclosure/", views_public.disclosure_list, name="disclosure_list"),
    path("disclosure/<int:pk>/", views_public.disclosure_detail, name="disclosure_detail"),
]
