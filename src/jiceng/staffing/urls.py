from django.urls import path

from . import views

app_name = "staffing"
urlpatterns = [
    path("posts/", views.post_list, name="post_list"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/absent/", views.post_absent, name="post_absent"),
    path("absences/<int:pk>/end/", views.absence_end, name="absence_end"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/training/", views.training_new, name="training_new"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("leave/", views.leave_list, name="leave_list"),
    path("leave/new/", views.leave_new, name="leave_new"),
    path("leave/<int:pk>/<str:step>/", views.leave_step, name="leave_step"),
    path("breaches/", views.breach_list, name="breach_list"),
    path("breaches/new/", views.breach_new, name="breach_new"),
    path("breaches/<int:pk>/<str:step>/", views.breach_step, name="breach_step"),
]
