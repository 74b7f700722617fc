from django.urls import include, path

from jiceng.api.v1 import api
from jiceng.inbox.views import home

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
    path("metrics/", include("jiceng.metrics.urls")),
    path("window/", include("jiceng.window.urls")),
    path("ratings/", include("jiceng.ratings.urls")),
    path("staffing/", include("jiceng.staffing.urls")),
    path("enforcement/", include("jiceng.enforcement.urls")),
    path("patrols/", include("jiceng.patrols.urls")),
    path("ledgers/", include("jiceng.ledgers.urls")),
    path("grid/", include("jiceng.grid.urls")),
    # Public pages without log-in: /guide/ and /rate/<token>/ (window), disclosures, grid notices.
    path("", include("jiceng.window.urls_public")),
    path("", include("jiceng.ratings.urls_public")),
    path("", include("jiceng.enforcement.urls_public")),
    path("", include("jiceng.grid.urls_public")),
    path("api/v1/", api.urls),
]
