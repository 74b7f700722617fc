"""inbox's routes: every logged-in user's own inbox (its items come from each app's scoped sources)."""

from __future__ import annotations

from .kit import LOGIN, Route


def _reads(w):
    from jiceng.inbox.models import ReadMark

    return list(ReadMark.objects.order_by("pk").values_list("pk", flat=True))


ROUTES = [
    Route("inbox:inbox", LOGIN, scoped=False),
    # Marking read stores per-user marks; with nothing unread in the region there is nothing to mark.
    Route("inbox:mark_read", LOGIN, methods=("post",), scoped=False, payload=lambda w: {"all": "1"}, effect=_reads,
          changes=False),
]
