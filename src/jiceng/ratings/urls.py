from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("cases/<int:pk>/invite/", views.invite, name="invite"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("rectifications/<int:pk>/<str:step>/", views.rectification_step, name="rectification_step"),
    path("figures/", views.figures_page, name="figures"),
]
