"""The in-app inbox: reminders kept in the database, and which inbox items each user has read.

Most inbox items are not stored: they are read from the state of the work
itself (a submission still in draft with its deadline, a return with its
reason, a published result, a revocation; see inbox.sources). What is stored
is what has no state of its own to be read from: a reminder sent before a
deadline, and the read marks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.scoping import ScopedQuerySet


class Reminder(models.Model):
    """A message to whoever holds `action` at `unit` (or above it), e.g. "self-evaluation due in 3 days".

    Addressed to a role at a unit rather than to a person, so a colleague who
    joins the office later sees it too. `key` makes creating it idempotent: a
    background job run twice does not remind twice.
    """

    scope_path_lookup = "unit__path"

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    action = models.CharField(_("for holders of"), max_length=40)
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["action", "created_at"], name="reminder_action_created")]

    def __str__(self):
        return self.title


class ReadMark(models.Model):
    """That one user has read one inbox item, stored or derived, by the item's key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("read mark")
        verbose_name_plural = _("read marks")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="readmark_unique")]

    def __str__(self):
        return f"{self.user_id} · {self.key}"
