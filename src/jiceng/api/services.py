"""Creating, revoking and checking API tokens; each write is one transaction with its audit record."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType

from .models import ApiToken

TOKEN_PREFIX = "jct_"
# 32 random bytes: guessing is hopeless, so a plain SHA-256 digest (no salt,
# no slow hash) is enough and lets a request find its token with one indexed look-up.
_SECRET_BYTES = 32
_DISPLAY_CHARS = len(TOKEN_PREFIX) + 8
# How stale `last_used_at` may get before a request writes it again: one write
# per token per minute instead of one per request.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _token_facts(token: ApiToken) -> dict:
    return {"name": token.name, "prefix": token.prefix, "expires_at": token.expires_at}


@transaction.atomic
def token_create(*, actor, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `actor` itself; returns the token and its secret, which is never stored or shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must lie in the future.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(_SECRET_BYTES)
    token = ApiToken(user=actor, name=name, prefix=raw[:_DISPLAY_CHARS], digest=digest_of(raw), expires_at=expires_at)
    token.full_clean()
    token.save()
    audit.record(EventType.TOKEN_CREATE, actor=actor, subject=token, after=_token_facts(token))
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, reason: str = "") -> ApiToken:
    """Stop a token working at once. Users revoke only their own tokens."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise PermissionDenied(_("You can revoke only your own tokens."))
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        EventType.TOKEN_REVOKE, actor=actor, subject=token, before=_token_facts(token), reason=reason
    )
    return token


def token_user(raw: str):
    """The active user a presented token acts for, or None (unknown, revoked, expired, or account disabled)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = ApiToken.objects.usable(now).select_related("user").filter(digest=digest_of(raw)).first()
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        # Bookkeeping, not an audited change: a plain UPDATE outside any transaction.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
