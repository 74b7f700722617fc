"""The menu of the signed-in user: the navigation entries the apps registered (core.registry.nav)
that the user's roles allow, in menu order. base.html renders `nav_items`."""

from __future__ import annotations

from django.urls import reverse

from . import registry


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": [
            {"label": entry.label_for(user), "url": reverse(entry.url_name)} for entry in registry.nav_for(user)
        ]
    }
