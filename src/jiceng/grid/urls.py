from django.urls import path

from jiceng.core.urls_import import import_urls

from . import views

app_name = "grid"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/export/", views.resident_export, name="resident_export"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/unmask/", views.resident_unmask, name="resident_unmask"),
    path("log/", views.log_entry, name="log_entry"),
    path("workers/<int:pk>/log/", views.worker_log, name="worker_log"),
    path("workers/<int:pk>/sign/", views.sign_off, name="sign_off"),
    path("townships/<int:pk>/grade/", views.grade_quarter, name="grade_quarter"),
    path("dismissals/<int:pk>/", views.dismissal, name="dismissal"),
]
urlpatterns += import_urls("grid_residents")
