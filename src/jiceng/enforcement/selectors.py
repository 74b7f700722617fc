"""Reads of the enforcement ledgers: every read of unit data through `restrict(user, action)`."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from jiceng.core.capabilities import VIEW

from .models import Case, CaseDocument, Clue, DocumentKind


def clues(user, action: str = VIEW):
    return Clue.objects.restrict(user, action).select_related("unit", "village")


def cases(user, action: str = VIEW):
    return Case.objects.restrict(user, action).select_related("unit", "clue")


def _decision_number():
    return Subquery(CaseDocument.objects.filter(case=OuterRef("pk"), kind=DocumentKind.DECISION)
                    .order_by("-created_at").values("number")[:1])


def public_decisions():
    """The penalty decisions published on the website (seed 000 5.1-5.3): public by law, so no user scope.

    Only what the public page shows is read; the party's name is reduced on the page (Case.party_public).
    """
    return (Case.objects.filter(published_on__isnull=False, published_on__lte=timezone.localdate(),
                                decided_on__isnull=False)
            .select_related("unit").annotate(decision_number=_decision_number())
            .only("pk", "title", "party", "party_is_person", "penalty_text", "fine", "decided_on", "published_on",
                  "place", "unit__name", "resource")
            .order_by("-published_on", "-pk"))
