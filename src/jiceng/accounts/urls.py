from django.urls import path

from . import views, views_onboarding

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("roles/", views.membership_list, name="membership_list"),
    path("roles/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("roles/matrix/", views.role_matrix, name="role_matrix"),
    path("onboarding/request/", views_onboarding.request_accounts, name="onboarding_request"),
    path("onboarding/", views_onboarding.accounts_from_requests, name="onboarding"),
    path("onboarding/roles/", views_onboarding.grant_proposed_roles, name="onboarding_roles"),
]
