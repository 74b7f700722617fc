"""Forms of the enforcement pages; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.org.models import Unit

from .capabilities import CLUE_REGISTER
from .models import ClueSource


class ClueForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    source = forms.ChoiceField(label=_("source"), choices=ClueSource.choices)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("place"), required=False)
    parcel = forms.CharField(label=_("parcel"), required=False)
    location = forms.CharField(label=_("location (GeoJSON)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_('A point, e.g. {"type": "Point", "coordinates": [112.35, 28.55]}'))
    anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    reporter_name = forms.CharField(label=_("reporter"), required=False)
    reporter_phone = forms.CharField(label=_("reporter's phone"), required=False)
    photos = forms.FileField(label=_("photos"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, CLUE_REGISTER).order_by("path")
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-control")


class CaseOpenForm(forms.Form):
    title = forms.CharField(label=_("case"), max_length=200)
    party = forms.CharField(label=_("party"), max_length=100)
    party_is_person = forms.BooleanField(label=_("the party is a person"), required=False, initial=True)
    resource = forms.ChoiceField(label=_("land or mineral"), choices=[("land", _("Land")), ("mineral", _("Mineral"))])
