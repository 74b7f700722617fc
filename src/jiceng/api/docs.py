"""The interactive API docs, served entirely from our own static files.

ninja's bundled page would do, but this one carries no settings blob to
parse and turns off Swagger UI's online validator badge, which otherwise
loads an image from the internet: government intranets are offline and our
CSP allows only 'self'.
"""

from __future__ import annotations

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class SelfHostedSwagger(DocsBase):
    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        return render(
            request,
            self.template,
            {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)},
        )
