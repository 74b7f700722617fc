"""Forms of the assessment pages, built from the campaign's scheme. They only carry input: the rules are in services."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.forms import BootstrapMixin, bootstrap

from . import schemes
from .models import AuditMode, Decision, Level, Status, SubjectKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A date input with an initial value must render it as YYYY-MM-DD whatever the language.
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _score_widget(cs, item_index: int):
    item = cs.items[item_index]
    return forms.NumberInput(attrs={"step": str(cs.definition.step), "min": "0", "max": str(item.points),
                                    "placeholder": _("score")})


class _ItemsForm(BootstrapMixin, forms.Form):
    """Score and comment fields per scored item, named score_<id> / comment_<id>, and the version seen."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the change"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    level = Level.SELF

    def __init__(self, *args, cs, submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.cs = cs
        self.submission = submission
        existing = {m.item_id: m for m in submission.marks.all() if m.level == self.level}
        self.initial.setdefault("version", submission.version)
        for i, item_id in enumerate(cs.ids):
            self.fields[f"score_{item_id}"] = forms.CharField(
                label=_("Score"), required=False, widget=_score_widget(cs, i)
            )
            self.fields[f"comment_{item_id}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 1, "placeholder": _("comment")})
            )
            mark = existing.get(item_id)
            if mark is not None:
                self.initial.setdefault(f"score_{item_id}", "" if mark.score is None else format(mark.score.normalize(), "f"))
                self.initial.setdefault(f"comment_{item_id}", mark.comment)
        # Fields were added after the mixin ran: style them now.
        bootstrap(self)

    @property
    def item_fields(self) -> dict[str, dict]:
        """{item_id: {"score": bound field, "comment": …, "claim": …, "file": …, "reason": …}} for the template."""
        out: dict[str, dict] = {}
        kinds = {"score": "score", "comment": "comment", "claim": "claim", "file": "file", "claim_reason": "reason"}
        for item_id in self.cs.ids:
            out[item_id] = {key: self[f"{prefix}_{item_id}"] for prefix, key in kinds.items()
                            if f"{prefix}_{item_id}" in self.fields}
        return out

    def changed_items(self) -> dict[str, dict]:
        """Posted items whose score or comment differ from what this level has stored."""
        out = {}
        for item_id, entry in self.items().items():
            old_score = str(self.initial.get(f"score_{item_id}", "") or "")
            old_comment = self.initial.get(f"comment_{item_id}", "") or ""
            if (entry["score"] or "").strip() != old_score or (entry["comment"] or "").strip() != old_comment:
                out[item_id] = entry
        return out

    def items(self) -> dict[str, dict]:
        """Only the items whose fields were posted, as the services take them."""
        out = {}
        for item_id in self.cs.ids:
            if f"score_{item_id}" in self.data:
                out[item_id] = {
                    "score": self.cleaned_data.get(f"score_{item_id}", ""),
                    "comment": self.cleaned_data.get(f"comment_{item_id}", ""),
                }
        return out


class SelfEvaluationForm(_ItemsForm):
    """The office's form: scores, comments, no-duty claims, evidence files and the declaration form (附件2)."""

    decl_name = forms.CharField(label=_("Office name"), max_length=100, required=False)
    decl_staff_count = forms.IntegerField(label=_("Number of staff"), min_value=0, required=False)
    decl_head = forms.CharField(label=_("Head"), max_length=50, required=False)
    decl_phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    decl_address = forms.CharField(label=_("Address"), max_length=200, required=False)
    decl_situation = forms.CharField(
        label=_("Main situation of the standardization work"), required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    level = Level.SELF

    def __init__(self, *args, cs, submission, **kwargs):
        super().__init__(*args, cs=cs, submission=submission, **kwargs)
        claims = {c.item_id: c for c in submission.claims.all()}
        for item_id in cs.ids:
            self.fields[f"claim_{item_id}"] = forms.CharField(
                label=_("No-duty claim: reason"), required=False, widget=forms.Textarea(attrs={"rows": 1})
            )
            self.fields[f"file_{item_id}"] = forms.FileField(label=_("Evidence"), required=False)
            if item_id in claims:
                self.initial.setdefault(f"claim_{item_id}", claims[item_id].reason)
        for name in ("decl_name", "decl_staff_count", "decl_head", "decl_phone", "decl_address", "decl_situation"):
            self.initial.setdefault(name, getattr(submission, name))
        bootstrap(self)

    def items(self) -> dict[str, dict]:
        out = super().items()
        for item_id in self.cs.ids:
            if f"claim_{item_id}" in self.data:
                out.setdefault(item_id, {})["claim"] = self.cleaned_data.get(f"claim_{item_id}", "")
        return out

    def uploads(self) -> dict[str, list]:
        return {
            item_id: self.files.getlist(f"file_{item_id}")
            for item_id in self.cs.ids
            if self.files.getlist(f"file_{item_id}")
        }

    def declaration(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("decl_name", "decl_staff_count", "decl_head", "decl_phone", "decl_address", "decl_situation")
            if name in self.data
        }


class _DecisionsMixin:
    def add_claim_fields(self, claims, prefix: str):
        choices = [("", _("— not decided —")), (Decision.APPROVED, _("Approve")), (Decision.REJECTED, _("Reject"))]
        for claim in claims:
            self.fields[f"claim_{claim.item_id}"] = forms.ChoiceField(label=_("Decision"), choices=choices,
                                                                     required=False)
            self.fields[f"claim_reason_{claim.item_id}"] = forms.CharField(
                label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 1})
            )
            self.initial.setdefault(f"claim_{claim.item_id}", getattr(claim, f"{prefix}_decision"))
            self.initial.setdefault(f"claim_reason_{claim.item_id}", getattr(claim, f"{prefix}_reason"))
        self.claim_items = [c.item_id for c in claims]

    def claims(self) -> dict[str, tuple[bool, str]]:
        out = {}
        for item_id in self.claim_items:
            decision = self.cleaned_data.get(f"claim_{item_id}")
            if decision:
                out[item_id] = (decision == Decision.APPROVED, self.cleaned_data.get(f"claim_reason_{item_id}", ""))
        return out


class ReviewForm(_DecisionsMixin, _ItemsForm):
    """The county's scores beside the office's, its claim decisions, and return / forward."""

    level = Level.COUNTY
    return_reason = forms.CharField(label=_("Reason for returning"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    opinion = forms.CharField(label=_("County opinion (考评意见)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    opinion_date = forms.DateField(label=_("Date of the opinion"), required=False, widget=DATE)

    def __init__(self, *args, cs, submission, **kwargs):
        super().__init__(*args, cs=cs, submission=submission, **kwargs)
        self.add_claim_fields(list(submission.claims.all()), "county")
        self.initial.setdefault("opinion", submission.county_opinion)
        # The browser's date picker stops at today; the service refuses a later date whatever is posted.
        self.fields["opinion_date"].widget.attrs["max"] = f"{timezone.localdate():%Y-%m-%d}"
        bootstrap(self)


class AuditForm(_DecisionsMixin, _ItemsForm):
    """The auditor's overrides (blank = the county's score stands), claim decisions and the audit's close."""

    level = Level.CITY
    opinion = forms.CharField(label=_("Audit opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cs, submission, **kwargs):
        super().__init__(*args, cs=cs, submission=submission, **kwargs)
        self.add_claim_fields(list(submission.claims.all()), "city")
        bootstrap(self)


class VetoForm(BootstrapMixin, forms.Form):
    veto_id = forms.ChoiceField(label=_("Veto type"))
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, cs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["veto_id"].choices = [(v.id, v.text) for v in cs.vetoes.values()]


class BonusForm(BootstrapMixin, forms.Form):
    bonus_id = forms.ChoiceField(label=_("Bonus"))
    awarded_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, cs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bonus_id"].choices = [(b.id, f"{b.title}（+{b.points}）") for b, _u in cs.bonuses.values()]


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(BootstrapMixin, forms.Form):
    """The city's extension of one office's deadline to submit, or to resubmit after a return (延期)."""

    extended_to = forms.DateField(label=_("New self-evaluation deadline"), widget=ISO_DATE)
    reason = forms.CharField(label=_("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        if submission.status == Status.RETURNED:
            self.fields["extended_to"].label = _("New last day to resubmit")
        if submission.self_deadline_extended_to:
            self.initial.setdefault("extended_to", submission.self_deadline_extended_to)


class DeadlinesForm(BootstrapMixin, forms.Form):
    """The city moves a campaign's stage deadlines, with a reason."""

    self_deadline = forms.DateField(label=_("Self-evaluation deadline"), widget=ISO_DATE)
    review_deadline = forms.DateField(label=_("County review deadline"), widget=ISO_DATE)
    audit_deadline = forms.DateField(label=_("City audit deadline"), widget=ISO_DATE)
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("self_deadline", "review_deadline", "audit_deadline"):
            self.initial.setdefault(name, getattr(campaign, name))


class CampaignForm(BootstrapMixin, forms.Form):
    """The city's new campaign. Shares are asked as percentages; the form token makes a double click create one
    campaign (services.campaign_create_once)."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=120)
    subject_kind = forms.ChoiceField(label=_("Subjects"), choices=SubjectKind.choices, initial=SubjectKind.OFFICE,
                                     required=False)
    scheme_id = forms.ChoiceField(label=_("Scheme"))
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    self_deadline = forms.DateField(label=_("Self-evaluation deadline"), widget=DATE)
    review_deadline = forms.DateField(label=_("County review deadline"), widget=DATE)
    audit_deadline = forms.DateField(label=_("City audit deadline"), widget=DATE)
    audit_mode = forms.ChoiceField(label=_("Audit mode"), choices=AuditMode.choices)
    sample_ratio = forms.DecimalField(
        label=_("Sample ratio (%)"), min_value=0, max_value=100, decimal_places=1, initial="30", required=False,
        help_text=_("Only for the sample audit mode: the percentage of offices the city audits, e.g. 30."))
    seed = forms.IntegerField(label=_("Random seed"), required=False,
                              help_text=_("Leave empty to draw one; it is recorded so anyone can re-draw the sample."))
    false_data_gap = forms.DecimalField(label=_("False-data threshold (points)"), initial=10, min_value=0)
    target1_due = forms.DateField(label=_("First target: date"), required=False, widget=DATE)
    target1_share = forms.DecimalField(
        label=_("First target: share of offices (%)"), required=False, min_value=0, max_value=100, decimal_places=1,
        help_text=_("A percentage of the offices that hold the standard by that date, e.g. 50 for half of them."))
    target2_due = forms.DateField(label=_("Second target: date"), required=False, widget=DATE)
    target2_share = forms.DecimalField(label=_("Second target: share of offices (%)"), required=False, min_value=0,
                                       max_value=100, decimal_places=1, help_text=_("e.g. 100 for every office."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme_id"].choices, self.fields["scheme_id"].help_text = schemes.form_choices()
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(16))

    def clean(self):
        data = super().clean()
        if data.get("audit_mode") == AuditMode.SAMPLE and data.get("sample_ratio") in (None, ""):
            self.add_error("sample_ratio", _("Give the percentage of offices to audit (the sample audit mode)."))
        elif data.get("audit_mode") == AuditMode.SAMPLE and data["sample_ratio"] <= 0:
            self.add_error("sample_ratio", _("The percentage of offices to audit must be above 0."))
        for n in (1, 2):
            due, share = data.get(f"target{n}_due"), data.get(f"target{n}_share")
            if bool(due) != (share is not None):
                self.add_error(f"target{n}_share" if due else f"target{n}_due",
                               _("A target needs both its date and its percentage."))
        return data

    def ratio(self):
        """The sample ratio as the service takes it (0–1); unused outside the sample mode, where any valid one does."""
        percent = self.cleaned_data.get("sample_ratio")
        return Decimal("0.3") if percent in (None, "") else Decimal(percent) / 100

    def targets(self):
        out = []
        for n in (1, 2):
            due, share = self.cleaned_data.get(f"target{n}_due"), self.cleaned_data.get(f"target{n}_share")
            if due and share is not None:
                out.append((due, Decimal(share) / 100))
        return out
