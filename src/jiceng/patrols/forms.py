from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PatrolArea


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class PatrolForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    area = forms.ModelChoiceField(label=_("Area"), queryset=PatrolArea.objects.none(), required=False)
    patrol_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200)
    route = forms.CharField(label=_("Route"), max_length=300, required=False)
    summary = forms.CharField(label=_("Findings and handling"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    key_period = forms.BooleanField(label=_("Holiday or key period"), required=False)
    unannounced = forms.BooleanField(label=_("Unannounced check (暗访)"), required=False)

    def __init__(self, *args, units, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["area"].queryset = areas
        _style(self)


class FindingForm(forms.Form):
    description = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    photo = forms.FileField(label=_("Photo"), required=False)
    as_clue = forms.BooleanField(label=_("Register as a clue now"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AreaForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    name = forms.CharField(label=_("Area"), max_length=100)
    responsible = forms.CharField(label=_("Responsible person"), max_length=50)
    responsible_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    description = forms.CharField(label=_("Villages and parcels covered"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        _style(self)


class PlanForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=None)
    month = forms.DateField(label=_("Month (its first day)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    planned = forms.IntegerField(label=_("Patrols planned"), min_value=0, max_value=100)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        _style(self)


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    month = forms.CharField(label=_("Month (2026-12)"), max_length=7)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        _style(self)
