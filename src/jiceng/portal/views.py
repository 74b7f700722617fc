"""Public pages, no log-in: the published lists of standardized offices (规范化基层所).

They show only published results and nothing personal (assessments.outputs.published).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from jiceng.assessments.outputs import notice
from jiceng.assessments.outputs.published import public_campaigns, published_list

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _public_campaign(pk: int):
    campaign = public_campaigns().filter(pk=pk).first()
    if campaign is None:
        # A campaign with nothing published does not exist for the public.
        raise Http404
    return campaign


def index(request):
    return render(request, "portal/index.html", {"campaigns": public_campaigns()})


def campaign(request, pk):
    listing = published_list(_public_campaign(pk))
    return render(request, "portal/campaign.html", {"listing": listing, "campaign": listing.campaign})


def campaign_notice(request, pk):
    listing = published_list(_public_campaign(pk))
    response = HttpResponse(notice.notice_docx(listing, issued_on=listing.last_published), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=notice.file_name(listing.campaign))
    return response
