from django.urls import path

from . import views, views_export

app_name = "core"
urlpatterns = [
    path("", views.audit_list, name="audit_list"),
    path("export/", views_export.audit_export, name="audit_export"),
]
