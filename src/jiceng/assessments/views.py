"""Thin views over assessments.selectors and assessments.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core import downloads
from jiceng.core.views import capability_required, form_errors_from
from jiceng.org.models import Unit, UnitKind

from . import schemes, selectors, services
from .errors import Conflict
from .evidence import MIME
from .forms import (
    AuditForm,
    BonusForm,
    CampaignForm,
    DeadlinesForm,
    ExtensionForm,
    ReasonForm,
    ReviewForm,
    SelfEvaluationForm,
    VetoForm,
)
from .models import PUBLISH, Evidence, Flag, Level, Submission, VetoEvent


def _page(user, sub) -> dict:
    """What every submission page needs: the tabs the user may open, the levels, the published result, lateness."""
    return {
        "levels": Level.values,
        "result": selectors.result_of(sub),
        "overdue": selectors.overdue(sub),
        "can_edit": sub.status in services.OFFICE_EDITABLE
        and Submission.objects.self_assessable_by(user).filter(pk=sub.pk).exists(),
        "can_review": Submission.objects.reviewable_by(user).filter(pk=sub.pk).exists(),
        "can_audit": sub.needs_audit and Submission.objects.auditable_by(user).filter(pk=sub.pk).exists(),
        "can_run": selectors.can_run(user, sub.campaign),
    }


def _conflict(request, exc: Conflict) -> None:
    messages.error(request, exc.messages[0])


class _SavedButRefused(Exception):
    """A two-step post (save, then submit / forward / close) whose save committed and whose next step was refused.

    `saved` is the submission as the save left it: the page is shown again from
    the posted values (they are what was just stored, plus anything the refused
    step would have stored, such as the county's opinion) but with the saved
    version, so the next save is not taken for someone else's (409).
    """

    def __init__(self, saved: Submission, refusal: ValidationError, done: str):
        super().__init__(done)
        self.saved, self.refusal, self.done = saved, refusal, done


def _then(saved: Submission, done: str, step) -> None:
    """Run `step()` after a save that committed; a refusal becomes `_SavedButRefused` saying `done`."""
    try:
        step()
    except Conflict:
        # Someone saved between the two steps: the conflict page shows their current values and version.
        raise
    except ValidationError as exc:
        raise _SavedButRefused(saved, exc, done) from exc


def _show_saved_but_refused(request, form, exc: _SavedButRefused) -> None:
    """Tell what was saved and why the next step was refused; carry the saved version in the form shown again."""
    messages.warning(request, exc.done)
    form.data = form.data.copy()
    form.data["version"] = str(exc.saved.version)
    form_errors_from(form, exc.refusal)


def _flash_errors(request, form, errors: dict) -> None:
    for field, texts in errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for text in texts:
            messages.error(request, f"{label}: {text}" if label else str(text))


def _run_form(request, form, action, done: str) -> None:
    """`action(cleaned_data)` on a valid form, then `done` as a message; else the form's or the service's errors.

    For the small forms posted from a page that is then shown again (a redirect
    back): each error becomes a message, led by the label of its field.
    """
    if not form.is_valid():
        _flash_errors(request, form, form.errors)
        return
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        _flash_errors(request, form, exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages})
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)


@login_required
def campaign_list(request):
    campaigns = selectors.campaigns_for(request.user).order_by("-period_start", "-pk")
    return render(request, "assessments/campaign_list.html", {
        "campaigns": campaigns,
        "can_create": request.user.has_capability(PUBLISH),
    })


@capability_required(PUBLISH)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    organisers = Unit.objects.visible_to(request.user).filter(kind=UnitKind.CITY)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign, created = services.campaign_create_once(
                form_token=data["form_token"],
                actor=request.user, organiser=organisers.first(), name=data["name"], scheme_id=data["scheme_id"],
                period_start=data["period_start"], period_end=data["period_end"],
                self_deadline=data["self_deadline"], review_deadline=data["review_deadline"],
                audit_deadline=data["audit_deadline"], audit_mode=data["audit_mode"],
                sample_ratio=form.ratio(), seed=data["seed"], targets=form.targets(),
                false_data_gap=data["false_data_gap"], subject_kind=data["subject_kind"] or "office",
            )
        except (ValidationError, PermissionDenied) as exc:
            form_errors_from(form, exc)
        else:
            if created:
                messages.success(request, _("Campaign created."))
            else:
                messages.info(request, _("This form was already sent: the campaign it created is shown."))
            return redirect("assessments:campaign_detail", pk=campaign.pk)
    return render(request, "assessments/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk):
    campaign = selectors.campaign_or_404(request.user, pk)
    target_rows, reached_now, total = selectors.targets(request.user, campaign)
    subs = selectors.submissions_for(request.user, campaign)
    page = Paginator(subs, 50).get_page(request.GET.get("page"))
    can_run = selectors.can_run(request.user, campaign)
    return render(request, "assessments/campaign_detail.html", {
        "campaign": campaign,
        "progress": selectors.progress(request.user, campaign),
        "targets": target_rows,
        "reached_now": reached_now,
        "total": total,
        "share_now": round(100 * reached_now / total) if total else 0,
        "page": page,
        "can_run": can_run,
        "show_sample": can_run,
        "review_queue": selectors.submissions_for(request.user, campaign, only="review").exists(),
        "audit_queue": selectors.submissions_for(request.user, campaign, only="audit").exists(),
        "late": selectors.overdue_of(page.object_list),
        "deadlines_form": DeadlinesForm(campaign=campaign) if can_run else None,
        "can_cancel": can_run and not services.cancel_refusal(campaign),
    })


@capability_required(PUBLISH)
def campaign_cancel(request, pk):
    """GET: the confirmation step with the reason; POST: cancel a campaign in which no office has started."""
    campaign = selectors.campaign_or_404(request.user, pk)
    form = ReasonForm(request.POST or None)
    refusal = services.cancel_refusal(campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_cancel(actor=request.user, campaign=campaign, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Campaign cancelled: %(name)s.") % {"name": campaign.name})
            return redirect("assessments:campaign_list")
    return render(request, "assessments/campaign_cancel.html", {"campaign": campaign, "form": form,
                                                                "refusal": refusal},
                  status=400 if request.method == "POST" else 200)


@login_required
def campaign_queue(request, pk, which):
    campaign = selectors.campaign_or_404(request.user, pk)
    everything = request.GET.get("all") == "1"
    subs = list(selectors.queue_for(request.user, campaign, which, everything=everything))
    return render(request, "assessments/queue.html", {"campaign": campaign, "subs": subs, "which": which,
                                                      "everything": everything,
                                                      "late": selectors.overdue_of(subs)})


@require_POST
@capability_required(PUBLISH)
def campaign_deadlines(request, pk):
    campaign = selectors.campaign_or_404(request.user, pk)
    _run_form(request, DeadlinesForm(request.POST, campaign=campaign),
              lambda data: services.campaign_change_deadlines(actor=request.user, campaign=campaign, **data),
              _("Deadlines changed."))
    return redirect("assessments:campaign_detail", pk=campaign.pk)


@capability_required(PUBLISH)
def campaign_publish(request, pk):
    """GET: the confirmation step (what would be published, and what still holds publication back); POST: publish."""
    campaign = selectors.campaign_or_404(request.user, pk)
    county = None
    code = request.POST.get("county") or request.GET.get("county")
    if code:
        county = get_object_or_404(Unit.objects.visible_to(request.user), code=code, kind=UnitKind.COUNTY)
    if request.method != "POST":
        ready, waiting = selectors.publication_preview(request.user, campaign, county)
        return render(request, "assessments/publish_confirm.html", {
            "campaign": campaign, "county": county, "ready": ready, "waiting": waiting})
    try:
        results = services.campaign_publish(actor=request.user, campaign=campaign, county=county)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s results published.") % {"n": len(results)})
    return redirect("assessments:campaign_detail", pk=campaign.pk)


@login_required
def submission_detail(request, pk):
    sub = selectors.submission_or_404(request.user, pk)
    cs = schemes.campaign_scheme(sub.campaign)
    item = request.GET.get("item", "")
    return render(request, "assessments/submission_detail.html", {
        **_page(request.user, sub),
        "sub": sub,
        "cs": cs,
        "lines": selectors.item_lines(sub, cs),
        "live": selectors.live_scores(sub, cs),
        "timeline": selectors.timeline(sub, item),
        "item_filter": item,
        "vetoes": list(sub.vetoes.all()),
        "bonuses": list(sub.bonuses.all()),
        "flags": list(sub.flags.all()),
        "veto_form": VetoForm(cs=cs),
        "bonus_form": BonusForm(cs=cs),
        "extension_form": ExtensionForm(submission=sub) if sub.status in services.OFFICE_EDITABLE else None,
        "window": selectors.submit_window(sub),
        "veto_texts": {v.id: v.text for v in cs.vetoes.values()},
        "bonus_titles": {b.id: b.title for b, _units in cs.bonuses.values()},
    })


@login_required
def submission_self(request, pk):
    sub = selectors.submission_or_404(request.user, pk, "self_assessable_by")
    cs = schemes.campaign_scheme(sub.campaign)
    form = SelfEvaluationForm(request.POST or None, request.FILES or None, cs=cs, submission=sub)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            # Saved first on its own: a refused submit (deadline passed, incomplete) keeps the draft just entered.
            sub = services.submission_save_draft(
                actor=request.user, submission=sub, expected_version=form.cleaned_data["version"],
                items=form.items(), declaration=form.declaration(), reason=form.cleaned_data["reason"],
                uploads=form.uploads(),
            )
            if "submit" in request.POST:
                saved = sub
                _then(saved, _("Draft saved, but not submitted to the county:"), lambda: services.submission_submit(
                    actor=request.user, submission=saved, expected_version=saved.version))
                _flag_over_claims(request.user, saved, cs)
                messages.success(request, _("Submitted to the county."))
                return redirect("assessments:submission_detail", pk=sub.pk)
        except _SavedButRefused as exc:
            _show_saved_but_refused(request, form, exc)
            status = 400
        except Conflict as exc:
            _conflict(request, exc)
            sub = selectors.submission_or_404(request.user, pk, "self_assessable_by")
            form = SelfEvaluationForm(cs=cs, submission=sub)
            status = 409
        except ValidationError as exc:
            form_errors_from(form, exc)
            status = 400
        else:
            messages.success(request, _("Draft saved."))
            return redirect("assessments:submission_self", pk=sub.pk)
    sub.refresh_from_db()
    live = selectors.live_scores(sub, cs)
    return render(request, "assessments/self_form.html", {
        **_page(request.user, sub),
        "sub": sub, "cs": cs, "form": form, "lines": selectors.item_lines(sub, cs),
        "editable": sub.status in services.OFFICE_EDITABLE,
        "missing": services.submission_missing(sub, cs) if sub.status in services.OFFICE_EDITABLE else [],
        "live_self": {Level.SELF: live[Level.SELF]} if Level.SELF in live else {},
        "decl_fields": services.DECLARATION_FIELDS,
        "window": selectors.submit_window(sub),
        "figures": _figures(sub, cs),
    }, status=status)


def _flag_over_claims(actor, sub, cs) -> None:
    """数据不实: each self-score above what the bound indicator supports becomes a flag for the reviewer;
    the bound indicators' figures are frozen for the campaign."""
    from jiceng.metrics import binding

    marks = {m.item_id: m.score for m in sub.marks.all() if m.level == Level.SELF and m.score is not None}
    period = str(sub.campaign.period_end.year)
    # The figures the campaign used for this office, kept as of the day it submitted.
    binding.freeze(f"campaign:{sub.campaign_id}", cs, sub.unit, period)
    binding.flag(key=f"submission:{sub.pk}", cs=cs, unit=sub.unit, period=period, marks=marks, actor=actor)


def _data_flags(sub) -> list:
    """The 数据不实 flags of the submission (jiceng.metrics.binding), for the reviewer."""
    from jiceng.metrics import binding

    return binding.flags_of(f"submission:{sub.pk}")


def _figures(sub, cs) -> dict:
    """The bound items' figures (jiceng.metrics.binding) for the office over the campaign's year."""
    from jiceng.metrics import binding

    claimed = {m.item_id: m.score for m in sub.marks.all() if m.level == Level.SELF}
    return binding.item_figures(cs, sub.unit, str(sub.campaign.period_end.year), claimed)


def _level_page(request, pk, *, how, form_class, template, handle):
    sub = selectors.submission_or_404(request.user, pk, how)
    cs = schemes.campaign_scheme(sub.campaign)
    form = form_class(request.POST or None, cs=cs, submission=sub)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            done = handle(sub, form)
        except _SavedButRefused as exc:
            _show_saved_but_refused(request, form, exc)
            status = 400
        except Conflict as exc:
            _conflict(request, exc)
            sub = selectors.submission_or_404(request.user, pk, how)
            form = form_class(cs=cs, submission=sub)
            status = 409
        except ValidationError as exc:
            form_errors_from(form, exc)
            status = 400
        else:
            # A step that ends this page's work (forward, return, close) goes on to the submission's page, so the
            # success is the one message shown (not beside "not waiting for you" on the page just left).
            done, target = done if isinstance(done, tuple) else (done, request.path)
            messages.success(request, done)
            return redirect(target)
    sub.refresh_from_db()
    return render(request, template, {
        **_page(request.user, sub),
        "sub": sub, "cs": cs, "form": form, "lines": selectors.item_lines(sub, cs),
        "live": selectors.live_scores(sub, cs),
        "data_flags": _data_flags(sub),
    }, status=status)


@login_required
def submission_review(request, pk):
    def handle(sub, form):
        data = form.cleaned_data
        action = request.POST.get("action", "save")
        if action == "return":
            services.submission_return(actor=request.user, submission=sub, expected_version=data["version"],
                                       reason=data["return_reason"])
            return _("Returned to the office."), reverse("assessments:submission_detail", args=[sub.pk])
        items = form.changed_items()
        if action == "accept_all" or action.startswith("accept:"):
            # "Accept the office's score": for one item, or every item not scored yet; what was typed stays.
            only = action.split(":", 1)[1] if action.startswith("accept:") else None
            accepted = selectors.office_scores_to_accept(sub, schemes.campaign_scheme(sub.campaign), only)
            if only is None:  # a score typed in this post is the reviewer's, not to be overwritten
                accepted = {k: v for k, v in accepted.items() if not (items.get(k, {}).get("score") or "").strip()}
            items = {**items, **{k: {**items.get(k, {}), **v} for k, v in accepted.items()}}
        # Saved first on its own: a refused forward must not lose the scores just entered.
        sub = services.review_save(actor=request.user, submission=sub, expected_version=data["version"],
                                   items=items, claims=form.claims(), reason=data["reason"])
        if action == "accept_all" or action.startswith("accept:"):
            return _("The office's score was accepted for %(n)s items.") % {"n": len(accepted)}
        if action == "forward":
            _then(sub, _("Review saved, but not forwarded to the city:"), lambda: services.submission_forward(
                actor=request.user, submission=sub, expected_version=sub.version, opinion=data["opinion"],
                opinion_date=data["opinion_date"]))
            return (_("Forwarded to the city with the county's opinion."),
                    reverse("assessments:submission_detail", args=[sub.pk]))
        return _("Review saved.")

    return _level_page(request, pk, how="reviewable_by", form_class=ReviewForm,
                       template="assessments/review_form.html", handle=handle)


@login_required
def submission_audit(request, pk):
    def handle(sub, form):
        data = form.cleaned_data
        items, claims = form.changed_items(), form.claims()
        version = data["version"]
        if items or claims:
            sub = services.audit_save(actor=request.user, submission=sub, expected_version=version, items=items,
                                      claims=claims, reason=data["reason"])
            version = sub.version
        if request.POST.get("action") == "close":
            def close():
                services.submission_audit(actor=request.user, submission=sub, expected_version=version,
                                          opinion=data["opinion"])

            if items or claims:
                _then(sub, _("Audit saved, but not closed:"), close)
            else:
                close()
            return _("Audit closed."), reverse("assessments:submission_detail", args=[sub.pk])
        return _("Audit saved.")

    return _level_page(request, pk, how="auditable_by", form_class=AuditForm,
                       template="assessments/audit_form.html", handle=handle)


@require_POST
@capability_required(PUBLISH)
def veto_create(request, pk):
    sub = selectors.submission_or_404(request.user, pk)
    form = VetoForm(request.POST, request.FILES, cs=schemes.campaign_scheme(sub.campaign))
    _run_form(request, form, lambda data: services.veto_register(actor=request.user, submission=sub, **{
        k: data[k] for k in ("veto_id", "occurred_on", "description", "evidence")}), _("Veto event registered."))
    return redirect("assessments:submission_detail", pk=sub.pk)


@require_POST
@capability_required(PUBLISH)
def bonus_create(request, pk):
    sub = selectors.submission_or_404(request.user, pk)
    form = BonusForm(request.POST, cs=schemes.campaign_scheme(sub.campaign))
    _run_form(request, form, lambda data: services.bonus_register(actor=request.user, submission=sub, **data),
              _("Bonus registered."))
    return redirect("assessments:submission_detail", pk=sub.pk)


@require_POST
@capability_required(PUBLISH)
def deadline_extend(request, pk):
    sub = selectors.submission_or_404(request.user, pk)
    _run_form(request, ExtensionForm(request.POST, submission=sub),
              lambda data: services.submission_extend_deadline(actor=request.user, submission=sub, **data),
              _("Deadline extended; the office is told in its inbox."))
    return redirect("assessments:submission_detail", pk=sub.pk)


@require_POST
@capability_required(PUBLISH)
def flag_dismiss(request, pk):
    flag = get_object_or_404(Flag, pk=pk)
    sub = selectors.submission_or_404(request.user, flag.submission_id)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("A reason is required."))
        services.flag_dismiss(actor=request.user, flag=flag, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("Flag dismissed."))
    return redirect("assessments:submission_detail", pk=sub.pk)


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("attachment"), pk=pk)
    sub = selectors.submission_or_404(request.user, evidence.submission_id)
    return downloads.serve(request, evidence.attachment, subject=sub, kind=Evidence.PURPOSE,
                           details={"item": evidence.item_id})


@login_required
def veto_evidence_download(request, pk):
    """The evidence file of a veto event, to whoever may see the vetoed submission."""
    veto = get_object_or_404(VetoEvent.objects.exclude(evidence=""), pk=pk)
    sub = selectors.submission_or_404(request.user, veto.submission_id)
    return downloads.serve(request, veto.evidence, filename=veto.evidence_file_name,
                           content_type=MIME.get(veto.evidence_type), subject=sub, kind="assessments.veto",
                           sha256=veto.evidence_sha256, details={"veto": veto.pk})


@require_POST
@login_required
def evidence_delete(request, pk):
    evidence = get_object_or_404(Evidence, pk=pk)
    sub = selectors.submission_or_404(request.user, evidence.submission_id, "self_assessable_by")
    try:
        services.evidence_delete(actor=request.user, evidence=evidence, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Evidence removed."))
    return redirect("assessments:submission_self", pk=sub.pk)
