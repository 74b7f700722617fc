"""Thin views serving a campaign's outputs: dashboard, score sheet, notice; a submission's declaration and evidence.

Every download goes on the audit trail as an export, with the SHA-256 of what
was sent, so a copy found later can be traced to who took it and when.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType

from . import dashboards, selectors
from .outputs import declaration, evidence_zip, notice, scoresheet
from .outputs.published import published_list

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request, content: bytes, *, name: str, content_type: str, kind: str, subject) -> HttpResponse:
    audit.record_now(EventType.EXPORT, actor=request.user, subject=subject,
                     details={"kind": kind, "file": name, "bytes": len(content),
                              "sha256": hashlib.sha256(content).hexdigest()})
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = _attachment(name)
    response["Cache-Control"] = "no-store"
    return response


def _attachment(name: str) -> str:
    # FileResponse's header builder: an ASCII fallback plus the UTF-8 name (RFC 6266).
    from django.utils.http import content_disposition_header

    return content_disposition_header(as_attachment=True, filename=name)


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
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = _attachment(name)
    response["Cache-Control"] = "no-store"
    return response


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
    digest = hashlib.sha256()
    for chunk in iter(lambda: spool.read(1024 * 1024), b""):
        digest.update(chunk)
    spool.seek(0)
    name = evidence_zip.file_name(sub)
    audit.record_now(EventType.EXPORT, actor=request.user, subject=sub,
                     details={"kind": "assessment.evidence", "file": name, "files": len(entries),
                              "mismatched": [e.path for e in entries if not e.matches],
                              "sha256": digest.hexdigest()})
    response = FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response
