"""The refusals of the workflow that carry more than a message.

They are the workflow kit's (core/workflow.py), under the names the app has always
used, so that the declared transitions and the hand-written saves raise the same
classes and views and the API catch both with one `except`.
"""

from __future__ import annotations

from jiceng.core.workflow import Incomplete, NotAllowed
from jiceng.core.workflow import StaleVersion as Conflict

__all__ = ["Conflict", "Incomplete", "NotAllowed"]
