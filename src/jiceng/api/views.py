"""The web pages where users create and revoke their own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiceng.core.audit import record_now
from jiceng.core.models import EventType, Outcome
from jiceng.core.views import form_errors_from

from . import services
from .forms import TokenCreateForm, TokenRevokeForm
from .models import ApiToken


@never_cache
@login_required
def token_list(request):
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(
                actor=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except ValidationError as exc:
            form_errors_from(form, exc, default_field="name")
        else:
            # Rendered, not redirected: the secret exists only in this response.
            created = {"token": token, "secret": secret}
            form = TokenCreateForm()
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "created": created})


@login_required
@require_POST
def token_revoke(request, pk):
    token = ApiToken.objects.filter(pk=pk).first()
    if token is None or token.user_id != request.user.pk:
        # Another user's token is "not found", never "not yours"; the attempt goes on the record.
        if token is not None:
            record_now(
                EventType.ACCESS_DENIED,
                actor=request.user,
                subject=token,
                outcome=Outcome.DENIED,
                details={"action": "revoke"},
            )
        raise Http404
    form = TokenRevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.token_revoke(actor=request.user, token=token, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("tokens:list")
