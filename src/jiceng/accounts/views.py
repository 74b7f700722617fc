"""Thin views over accounts.services: log-in, password change, accounts and roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.views import capability_required, form_errors_from

from . import services
from .capabilities import ASSIGN_ROLES, MANAGE_ACCOUNTS
from .forms import (
    LoginForm,
    MembershipForm,
    PasswordChangeForm,
    PasswordResetForm,
    RevokeForm,
    UserCreateForm,
    UserUpdateForm,
)
from .middleware import LOGIN_AT
from .models import Membership, User


@method_decorator(transaction.atomic, name="post")
class LoginView(auth_views.LoginView):
    """Django's log-in, in one transaction with its audit record."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        import time

        self.request.session[LOGIN_AT] = time.time()
        return response


def lockout_response(request, credentials=None, *args, **kwargs):
    """What a locked-out user sees (django-axes calls this)."""
    form = LoginForm(request)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": True},
        status=429,
    )


@require_POST
def logout_view(request):
    from django.contrib.auth import logout

    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


@login_required
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            # The password validators raise a plain list: those reasons belong to the new password.
            form_errors_from(form, exc, default_field="new_password")
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@capability_required(MANAGE_ACCOUNTS)
def user_list(request):
    users = User.objects.order_by("username").prefetch_related("memberships__unit")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@capability_required(MANAGE_ACCOUNTS)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc, default_field="password")
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@capability_required(MANAGE_ACCOUNTS)
def user_detail(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = UserUpdateForm(request.POST or None, instance=User.objects.get(pk=pk), prefix="edit")
    reset_form = PasswordResetForm(prefix="reset")
    if request.method == "POST" and "edit-full_name" in request.POST and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in ["full_name", "email", "is_active"]}
        try:
            services.user_update(actor=request.user, user=user, reason=form.cleaned_data["reason"], **changes)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:user_detail", pk=pk)
    if request.method == "POST" and "reset-password" in request.POST:
        reset_form = PasswordResetForm(request.POST, prefix="reset")
        if reset_form.is_valid():
            try:
                services.user_reset_password(actor=request.user, user=user, **reset_form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(reset_form, exc, default_field="password")
            else:
                messages.success(request, _("Temporary password set; the user must change it at next log-in."))
                return redirect("accounts:user_detail", pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {"account": user, "form": form, "reset_form": reset_form, "memberships": user.memberships.select_related("unit")},
    )


@capability_required(ASSIGN_ROLES)
def membership_list(request):
    memberships = Membership.objects.select_related("user", "unit").order_by("user__username", "unit__path")
    q = request.GET.get("q", "").strip()
    if q:
        memberships = memberships.filter(Q(user__username__icontains=q) | Q(user__full_name__icontains=q))
    page = Paginator(memberships, 25).get_page(request.GET.get("page"))
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_grant(
                actor=request.user, user=data["user"], unit=data["unit"], role=data["role"], reason=data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form_errors_from(form, exc, default_field="role")
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:membership_list")
    return render(request, "accounts/membership_list.html", {"page": page, "form": form, "q": q})


@capability_required(ASSIGN_ROLES)
@require_POST
def membership_revoke(request, pk):
    membership = get_object_or_404(Membership, pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is required to revoke a role."))
        return redirect("accounts:membership_list")
    try:
        services.membership_revoke(actor=request.user, membership=membership, reason=form.cleaned_data["reason"])
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("accounts:membership_list")


def _app_name(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


@capability_required(ASSIGN_ROLES)
def role_matrix(request):
    """Roles × capabilities, grouped by the app that declares them: the data of `jiceng roles` (docs/roles.md)."""
    from jiceng.core import capabilities
    from jiceng.core.capabilities import Role

    roles = list(Role)
    groups: list[dict] = []
    for app, capability, holders in capabilities.matrix():
        if not groups or groups[-1]["app"] != app:
            groups.append({"app": app, "name": _app_name(app), "rows": []})
        groups[-1]["rows"].append(
            {"capability": capability, "cells": [{"role": role.value, "held": role.value in holders} for role in roles]}
        )
    return render(request, "accounts/role_matrix.html", {"roles": roles, "groups": groups})
