from django.urls import include, path

from jiceng.org.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("jiceng.accounts.urls")),
    path("org/", include("jiceng.org.urls")),
    path("audit/", include("jiceng.core.urls")),
]
