"""Routes of the campaign outputs, mounted under /assessments/ beside the workflow's own routes."""

from django.urls import path

from . import views_outputs as views

app_name = "assessment_outputs"
urlpatterns = [
    path("<int:pk>/dashboard/", views.campaign_dashboard, name="dashboard"),
    path("<int:pk>/scoresheet.xlsx", views.campaign_scoresheet, name="scoresheet"),
    path("<int:pk>/notice.docx", views.campaign_notice, name="notice"),
    path("submissions/<int:pk>/declaration.docx", views.declaration_docx, name="declaration_docx"),
    path("submissions/<int:pk>/declaration.pdf", views.declaration_pdf, name="declaration_pdf"),
    path("submissions/<int:pk>/evidence.zip", views.submission_evidence_zip, name="evidence_zip"),
]
