from django.urls import path

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
    path("import/staff/", views_io.import_page, {"kind": "staff"}, name="import_staff"),
    path("import/units/", views_io.import_page, {"kind": "units"}, name="import_units"),
    path("import/staff/template/", views_io.import_template, {"kind": "staff"}, name="import_template_staff"),
    path("import/units/template/", views_io.import_template, {"kind": "units"}, name="import_template_units"),
    path("import/errors/", views_io.import_errors, name="import_errors"),
]
