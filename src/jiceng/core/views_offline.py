"""The offline queue's service worker, served under /audit/ with the whole site as its scope (core.offline)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.http import require_GET

SW_FILE = Path(__file__).parent / "static" / "jiceng" / "offline" / "sw.js"


@lru_cache(maxsize=1)
def _script() -> bytes:
    return SW_FILE.read_bytes()


@require_GET
def service_worker(request):
    """The worker script. `Service-Worker-Allowed: /` lets it control every page (its own path is under
    /audit/offline/); no-cache so a new version reaches the browsers at their next visit."""
    response = HttpResponse(_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
