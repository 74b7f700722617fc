from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.forms import BootstrapMixin


class TokenCreateForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the script or system using it.")
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token stops working at the end of this day. Leave empty for no expiry."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The expiry must lie in the future."))
        return day

    def expires_at(self):
        """The end of the chosen day, in local time (None for no expiry)."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class TokenRevokeForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)
