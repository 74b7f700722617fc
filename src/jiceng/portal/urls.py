from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("assessments/<int:pk>/", views.campaign, name="campaign"),
    path("assessments/<int:pk>/notice.docx", views.campaign_notice, name="campaign_notice"),
]
