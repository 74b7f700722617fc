"""Background exports: /exports/ (the user's own), /exports/<id>/ (progress), its fragment and its download.

The job's id is a UUID; the route takes it as a slug and the view parses it,
so a malformed id gets the same 404 as a missing or someone else's job.
"""

from django.urls import path

from . import views_export

app_name = "exports"
urlpatterns = [
    path("", views_export.export_job_list, name="list"),
    path("<slug:job>/", views_export.export_job, name="job"),
    path("<slug:job>/progress/", views_export.export_job_progress, name="progress"),
    path("<slug:job>/download/", views_export.export_job_download, name="download"),
]
