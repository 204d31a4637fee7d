"""A signed-in member of staff changes their own password and keeps their keys.

`user_set_password` re-wraps their private key under the new password, so every case key
sealed to them still opens (docs/adr/0002); this session stays signed in.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from whistledesk.accounts.decorators import staff_required
from whistledesk.accounts.forms_people import PasswordChangeForm
from whistledesk.accounts.services import user_set_password
from whistledesk.core.exceptions import DomainError


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_set_password(
                actor=request.user,
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(
                request, "Your password is changed. Your case keys are kept under the new one."
            )
            return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})
