"""Public pages, no log-in: the penalty decisions published on the website (行政处罚决定公开)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors


def disclosure_list(request):
    page = Paginator(selectors.public_decisions(), 30).get_page(request.GET.get("page"))
    return render(request, "enforcement/disclosure_list.html", {"page": page})


def disclosure_detail(request, pk):
    case = selectors.public_decisions().filter(pk=pk).first()
    if case is None:
        raise Http404
    return render(request, "enforcement/disclosure_detail.html", {"case": case})
