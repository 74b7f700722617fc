from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.core.forms import BootstrapMixin

from .models import AbsenceKind, BreachKind, Exposure, LeaveKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AbsenceForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AbsenceKind.choices)
    starts = forms.DateField(label=_("from"), widget=DATE)
    ends = forms.DateField(label=_("to"), widget=DATE)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class LeaveForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=LeaveKind.choices)
    starts = forms.DateField(label=_("from"), widget=DATE)
    ends = forms.DateField(label=_("to"), widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=200)


class BreachForm(BootstrapMixin, forms.Form):
    worker = forms.ModelChoiceField(label=_("worker"), queryset=None)
    kind = forms.ChoiceField(label=_("breach"), choices=BreachKind.choices)
    occurred_on = forms.DateField(label=_("on"), widget=DATE)
    exposed_by = forms.ChoiceField(label=_("exposed"), choices=Exposure.choices, required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class TrainingForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("training"), max_length=200)
    held_on = forms.DateField(label=_("held on"), widget=DATE)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1, min_value=0, initial=0)
