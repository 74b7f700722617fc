"""Pages without log-in, phone first: the catalogue (/guide/), an item's guide and its printable PDF."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from . import selectors
from .guide import guide_pdf, qr_svg


def guide_index(request):
    q = request.GET.get("q", "")[:100]
    tag = request.GET.get("tag", "")
    page = Paginator(selectors.public_items(q, tag), 30).get_page(request.GET.get("page"))
    return render(request, "window/guide_index.html", {"page": page, "q": q, "tag": tag, "tags": selectors.TAGS})


def _item(code):
    item = selectors.public_item(code)
    if item is None:
        raise Http404
    return item


def guide_detail(request, code):
    item = _item(code)
    url = request.build_absolute_uri(reverse("window_public:guide_detail", args=[item.code]))
    return render(request, "window/guide_detail.html", {"item": item, "v": item.current,
                                                        "materials": item.current.materials.all(), "qr": qr_svg(url)})


def guide_pdf_view(request, code):
    item = _item(code)
    url = request.build_absolute_uri(reverse("window_public:guide_detail", args=[item.code]))
    response = HttpResponse(guide_pdf(item, url), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=f"{item.code}.pdf")
    return response
