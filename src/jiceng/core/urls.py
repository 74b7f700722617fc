from django.urls import path

from . import downloads, views, views_export, views_ledger, views_offline

app_name = "core"
urlpatterns = [
    path("", views.audit_list, name="audit_list"),
    path("export/", views_export.audit_export, name="audit_export"),
    # The one download of an attachment in its own right (core.downloads); owners with wider rules keep theirs.
    path("attachments/<str:pk>/", downloads.attachment_download, name="attachment_download"),
    # The overdue rows of every registered ledger (core.ledgers), with their xlsx export (?format=xlsx).
    path("ledgers/overdue/", views_ledger.overdue_list, name="ledger_overdue"),
    # The offline queue's service worker (core.offline), allowed the whole site as its scope.
    path("offline/sw.js", views_offline.service_worker, name="offline_sw"),
]
