"""/api/v1: one NinjaAPI, token-authenticated, mounting the router of each app's api module.

A new app exposes `router` in its `api.py` and registers it from its
`AppConfig.ready()` (`core.registry.api_router(self.label, "jiceng.<app>.api.router")`);
the routers are mounted in INSTALLED_APPS order, so the schema is the same on
every start. Its operations then appear in the OpenAPI schema, the
permission-matrix test and the schemathesis run without further wiring.
"""

from __future__ import annotations

from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from jiceng.core import registry

from . import errors
from .auth import TokenAuth
from .docs import SelfHostedSwagger


class JicengAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # "staff_list" rather than ninja's module-qualified "jiceng_org_api_staff_list":
        # the id is what generated clients name their methods after.
        return operation.view_func.__name__

    def _get_urls(self):
        # Two answers ninja gives outside its exception handlers, made JSON like every other
        # error: a method the path lacks (405) and an address the API lacks (404).
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    # ninja's root only raises a 404 (HTML from the site); it names where the API is described.
                    pattern.callback = csrf_exempt(self._index)
                pattern.callback = errors.json_method_not_allowed(self, pattern.callback)
        patterns.append(re_path(r"^.*$", errors.unknown_path(self), name="unknown-path"))
        return patterns


    def _index(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return errors.method_not_allowed(self, request, "GET, HEAD")
        root = request.path.rstrip("/")
        return self.create_response(
            request,
            {"title": self.title, "version": self.version, "docs": f"{root}{self.docs_url}",
             "openapi": f"{root}{self.openapi_url}"},
            status=200,
        )


api = JicengAPI(
    title="Jiceng API",
    version="1",
    description=(
        "Units and staff of the organisation tree, and the assessment workflow, within the caller's scope. "
        "Authenticate with a personal token: `Authorization: Bearer <token>` "
        "(create one under 'API tokens' in the web interface). See docs/api.md."
    ),
    auth=TokenAuth(),
    urls_namespace="api-v1",
    docs=SelfHostedSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

for entry in registry.api_routers():
    api.add_router("", entry.load())
