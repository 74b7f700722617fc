from django.urls import path

from jiceng.core.urls_import import import_urls

from . import views, views_io

app_name = "org"
urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/delete/", views.staff_delete, name="staff_delete"),
    path("staff/<int:pk>/unmask/<slug:field>/", views_io.staff_unmask, name="staff_unmask"),
    path("staff/export/", views_io.staff_export, name="staff_export"),
    path("units/export/", views_io.unit_export, name="unit_export"),
]
# The generic import pages of core.imports, under this app's names (org:import_staff …).
urlpatterns += import_urls("staff", "units")
