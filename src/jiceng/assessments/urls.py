from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/queue/review/", views.campaign_queue, {"which": "review"}, name="review_queue"),
    path("<int:pk>/queue/audit/", views.campaign_queue, {"which": "audit"}, name="audit_queue"),
    path("<int:pk>/publish/", views.campaign_publish, name="campaign_publish"),
    path("<int:pk>/cancel/", views.campaign_cancel, name="campaign_cancel"),
    path("<int:pk>/deadlines/", views.campaign_deadlines, name="campaign_deadlines"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/self/", views.submission_self, name="submission_self"),
    path("submissions/<int:pk>/review/", views.submission_review, name="submission_review"),
    path("submissions/<int:pk>/audit/", views.submission_audit, name="submission_audit"),
    path("submissions/<int:pk>/veto/", views.veto_create, name="veto_create"),
    path("submissions/<int:pk>/bonus/", views.bonus_create, name="bonus_create"),
    path("submissions/<int:pk>/extend/", views.deadline_extend, name="deadline_extend"),
    path("flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("vetoes/<int:pk>/evidence/", views.veto_evidence_download, name="veto_evidence"),
]
