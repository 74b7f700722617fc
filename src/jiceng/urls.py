from django.urls import include, path

from jiceng.api.v1 import api
from jiceng.org.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/tokens/", include("jiceng.api.urls")),
    path("accounts/", include("jiceng.accounts.urls")),
    path("org/", include("jiceng.org.urls")),
    path("audit/", include("jiceng.core.urls")),
    path("exports/", include("jiceng.core.urls_exports")),
    path("assessments/", include("jiceng.assessments.urls_outputs")),
    path("assessments/", include("jiceng.assessments.urls")),
    path("inbox/", include("jiceng.inbox.urls")),
    path("public/", include("jiceng.portal.urls")),
    path("api/v1/", api.urls),
]
