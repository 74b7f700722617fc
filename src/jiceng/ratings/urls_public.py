"""Pages without log-in: the applicant's rating page."""

from django.urls import path

from . import views_public

app_name = "ratings_public"
urlpatterns = [
    path("rate/<str:token>/", views_public.rate, name="rate"),
]
