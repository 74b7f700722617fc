from django.urls import path

from . import views

app_name = "metrics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("unit/<str:code>/", views.unit_dashboard, name="unit_dashboard"),
    path("records/", views.records, name="records"),
    path("flags/<int:pk>/decide/", views.flag_decide, name="flag_decide"),
]
