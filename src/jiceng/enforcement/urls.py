from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("clues/", views.clue_list, name="clue_list"),
    path("clues/new/", views.clue_create, name="clue_create"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/case/", views.case_open, name="case_open"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/step/", views.case_step, name="case_step"),
    path("cases/<int:pk>/document/", views.case_document, name="case_document"),
    path("cases/<int:pk>/publish/", views.case_publish, name="case_publish"),
]
