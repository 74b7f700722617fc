"""The generic import pages (core.views_import) for some registered kinds, to add to an app's urlpatterns.

Its own module, above both core.imports (the registry) and core.views_import (the pages):
the registry knows no view, so the two do not import each other.
"""

from __future__ import annotations

from django.urls import path

from . import views_import


def import_urls(*kinds: str):
    """The generic pages for these kinds, to add to an app's urlpatterns (names stay the app's)."""
    patterns = []
    for kind in kinds:
        patterns += [
            path(f"import/{kind}/", views_import.import_page, {"kind": kind}, name=f"import_{kind}"),
            path(f"import/{kind}/template/", views_import.import_template, {"kind": kind}, name=f"import_template_{kind}"),
        ]
    patterns.append(path("import/errors/", views_import.import_errors, name="import_errors"))
    return patterns
