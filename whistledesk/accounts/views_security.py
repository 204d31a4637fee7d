"""Staff sign-in security pages: the code step, authenticator set-up, sign out everywhere.

The code and set-up pages are for people past the password but not yet through the second
factor, so they use `login_required`, not `staff_required` (which would send them here).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from whistledesk.accounts.decorators import staff_required
from whistledesk.accounts.staff_sessions import user_sign_out_everywhere
from whistledesk.accounts.two_factor import (
    Step,
    manual_key,
    may_enrol,
    qr_code_data_uri,
    second_factor_step,
    totp_device_confirm,
    totp_enrolment_start,
    totp_sign_in_verify,
    two_factor_required,
    user_has_authenticator,
)
from whistledesk.accounts.two_factor_forms import CodeForm
from whistledesk.core.exceptions import DomainError


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: redirect() would read a bare word as a URL pattern name
    # and fail with a 500 when it names none.
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if second_factor_step(request) is not Step.VERIFY:
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp_sign_in_verify(actor=request.user, request=request, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
def two_factor_setup_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if not may_enrol(request):
        # Replacing an authenticator needs the current one first.
        verify = reverse("accounts:two_factor_verify")
        return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp_device_confirm(actor=request.user, request=request, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, "Two-factor sign-in is set up for your account.")
            return redirect(next_url)
    device = totp_enrolment_start(request)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": qr_code_data_uri(device),
            "manual_key": manual_key(device),
            "required": two_factor_required(),
            "replacing": user_has_authenticator(request.user),
        },
    )


@staff_required
def account_security_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {"enrolled": user_has_authenticator(request.user), "required": two_factor_required()},
    )


@require_POST
@staff_required
def sign_out_everywhere_view(request: HttpRequest) -> HttpResponse:
    ended = user_sign_out_everywhere(actor=request.user, user=request.user)
    logout(request)
    messages.success(
        request,
        f"You have been signed out everywhere ({ended} session{'s' if ended != 1 else ''}).",
    )
    return redirect("accounts:login")
