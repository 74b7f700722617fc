"""The applicant's rating page, /rate/<token>/: no log-in, phone-first."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import services
from .models import Level, dimensions


@never_cache
def rate(request, token):
    invite = services.invite_for(token)  # unknown, forged or expired: 404
    context = {"invite": invite, "case": invite.case, "levels": Level.choices, "token": token,
               "dimensions": dimensions(invite.channel)}
    if request.method == "POST":
        try:
            rating = services.rate(token=token, data=request.POST)
        except ValidationError as exc:
            refused = getattr(exc, "code", None) == "refused"
            context.update(errors=exc.messages, refused=refused, posted=request.POST)
            return render(request, "ratings/rate.html", context, status=409 if refused else 422)
        return render(request, "ratings/rated.html", {"rating": rating, "case": invite.case})
    context["refused_message"] = services.refusal_of(invite)
    return render(request, "ratings/rate.html", context)
