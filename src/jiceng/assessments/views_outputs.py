"""Thin views serving a campaign's outputs: dashboard, score sheet, notice; a submission's declaration and evidence.

Every download goes through core.downloads.serve and on the audit trail as an
export, with the SHA-256 of what was sent, so a copy found later can be traced
to who took it and when (the score sheet's export audits itself).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiceng.core import downloads
from jiceng.core.models import EventType

from . import dashboards, selectors
from .outputs import declaration, evidence_zip, notice, scoresheet
from .outputs.published import published_list

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request, content: bytes, *, name: str, content_type: str, kind: str, subject):
    return downloads.serve(request, content, filename=name, content_type=content_type,
                           audit_action=EventType.EXPORT, subject=subject, kind=kind)


def _chart_labels() -> dict[str, str]:
    return {
        "offices": _("Offices"), "hardware": _("Hardware"), "software": _("Software"),
        "average": _("Average total"), "pass_rate": _("Pass rate (%)"), "city_average": _("City average (published results)"),
        "units_lost": _("Offices losing points"), "points_lost": _("Points lost"), "share": _("Share of the maximum (%)"),
        "no_data": _("No published result yet."),
    }


@login_required
def campaign_dashboard(request, pk):
    campaign = selectors.campaign_or_404(request.user, pk, "campaign outputs")
    return render(request, "assessments/outputs/dashboard.html", {
        "campaign": campaign,
        "data": dashboards.dashboard_data(request.user, campaign),
        "labels": _chart_labels(),
        "can_run": selectors.can_run(request.user, campaign),
    })


@login_required
def campaign_scoresheet(request, pk):
    campaign = selectors.campaign_or_404(request.user, pk, "campaign outputs")
    # scoresheet.export audits the export itself (it also serves the command line).
    content, name, _rows = scoresheet.export(campaign, user=request.user)
    return downloads.serve(request, content, filename=name, content_type=XLSX, audit_action=None)


@login_required
def campaign_notice(request, pk):
    campaign = selectors.campaign_or_404(request.user, pk, "campaign outputs")
    if not selectors.can_run(request.user, campaign):
        # The notice is the city bureau's document; everyone else reads the public list.
        raise PermissionDenied
    content = notice.notice_docx(published_list(campaign))
    return _download(request, content, name=notice.file_name(campaign), content_type=DOCX,
                     kind="assessment.notice", subject=campaign)


@login_required
def declaration_docx(request, pk):
    sub = selectors.submission_or_404(request.user, pk)
    return _download(request, declaration.declaration_docx(sub), name=f"{declaration.file_stem(sub)}.docx",
                     content_type=DOCX, kind="assessment.declaration", subject=sub)


@login_required
def declaration_pdf(request, pk):
    sub = selectors.submission_or_404(request.user, pk)
    return _download(request, declaration.declaration_pdf(sub), name=f"{declaration.file_stem(sub)}.pdf",
                     content_type="application/pdf", kind="assessment.declaration", subject=sub)


@login_required
def submission_evidence_zip(request, pk):
    sub = selectors.submission_or_404(request.user, pk)
    spool, entries = evidence_zip.evidence_zip(sub)
    return downloads.serve(request, spool, filename=evidence_zip.file_name(sub), content_type="application/zip",
                           audit_action=EventType.EXPORT, subject=sub, kind="assessment.evidence",
                           details={"files": len(entries), "mismatched": [e.path for e in entries if not e.matches]})
