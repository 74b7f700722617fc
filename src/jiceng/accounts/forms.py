from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jiceng.core.capabilities import Role
from jiceng.core.forms import BootstrapMixin
from jiceng.org.models import Unit

from .models import User


class LoginForm(BootstrapMixin, AuthenticationForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class PasswordChangeForm(BootstrapMixin, forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    new_password_again = forms.CharField(label=_("New password again"), strip=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class UserCreateForm(BootstrapMixin, forms.Form):
    username = forms.RegexField(label=_("User name"), max_length=150, regex=r"^[\w.@+-]+$")
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("The user must change it at the first log-in."),
    )


class UserUpdateForm(BootstrapMixin, forms.ModelForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    class Meta:
        model = User
        fields = ["full_name", "email", "is_active"]


class PasswordResetForm(BootstrapMixin, forms.Form):
    password = forms.CharField(label=_("Temporary password"), strip=False, widget=forms.PasswordInput)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class MembershipForm(BootstrapMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.filter(is_active=True).order_by("username"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RevokeForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
