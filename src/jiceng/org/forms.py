from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.core.forms import BootstrapMixin
from jiceng.core.pii import mask_id_number, mask_phone
from jiceng.org.capabilities import STRUCTURE

from .models import Education, EmploymentType, Gender, PoliticalStatus, Post, Staff, Unit, UnitKind
from .services import IDENTITY_FIELDS, UNIT_FACT_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"


class UnitFactsForm(BootstrapMixin, forms.ModelForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    class Meta:
        model = Unit
        fields = UNIT_FACT_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_capability(STRUCTURE):
            # Shown for reference; a disabled field keeps its stored value.
            for name in IDENTITY_FIELDS:
                self.fields[name].disabled = True


class StaffForm(BootstrapMixin, forms.ModelForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    class Meta:
        model = Staff
        fields = [
            "unit",
            "name",
            "gender",
            "birth_date",
            "education",
            "political_status",
            "employment_type",
            "establishment_unit",
            "post",
            "post_start",
            "phone",
            "id_number",
            "active",
        ]
        widgets = {"birth_date": DateInput(), "post_start": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Dropdowns offer only units within the user's scope (the one scoping mechanism).
        self.fields["unit"].queryset = Unit.objects.editable_by(user)
        self.fields["establishment_unit"].queryset = Unit.objects.visible_to(user)
        # Opening the edit form must not show personal data in full (that is an audited
        # unmasking): the stored values stay out of the page, and a blank field keeps them.
        for name, mask in (("phone", mask_phone), ("id_number", mask_id_number)):
            stored = getattr(self.instance, name, "") if self.instance.pk else ""
            if stored:
                self.initial[name] = ""
                self.fields[name].widget.attrs["placeholder"] = mask(stored)
                self.fields[name].help_text = _("Leave blank to keep the stored value.")

    def _keep_if_blank(self, name):
        value = self.cleaned_data.get(name)
        if not value and self.instance.pk:
            return getattr(Staff.objects.only(name).get(pk=self.instance.pk), name)
        return value

    def clean_phone(self):
        return self._keep_if_blank("phone")

    def clean_id_number(self):
        return self._keep_if_blank("id_number")


class UnitFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *UnitKind.choices], required=False)


class StaffFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    post = forms.ChoiceField(label=_("Post"), choices=[("", "—"), *Post.choices], required=False)
    education = forms.ChoiceField(label=_("Education"), choices=[("", "—"), *Education.choices], required=False)
    employment_type = forms.ChoiceField(
        label=_("Employment type"), choices=[("", "—"), *EmploymentType.choices], required=False
    )
    political_status = forms.ChoiceField(
        label=_("Political status"), choices=[("", "—"), *PoliticalStatus.choices], required=False
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
