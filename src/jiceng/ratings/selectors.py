"""Reads of ratings and rectifications, through `restrict(user, action)`."""

from __future__ import annotations

from jiceng.core.scoping import may_any

from .capabilities import RECTIFY, REVIEW
from .models import Rectification, RectificationState


def all_rectifications():
    return Rectification.objects.select_related("rating", "rating__case", "rating__case__item_version", "owner", "unit")


def rectifications(user):
    """What the user works on: every one of the units they review, and their own (谁办理谁负责)."""
    reviewed = all_rectifications().restrict(user, REVIEW)
    own = all_rectifications().restrict(user, RECTIFY).filter(owner=user)
    if not may_any(user, REVIEW):
        return own
    return (reviewed | own).distinct()


def open_rectifications(user):
    return rectifications(user).filter(state__in=Rectification.open_states, closed_at__isnull=True)


def appeals_to_decide(user):
    return all_rectifications().restrict(user, REVIEW).filter(state=RectificationState.APPEALED).exclude(owner=user)
