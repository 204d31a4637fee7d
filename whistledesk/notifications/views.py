"""/staff/account/notifications/: which emails I get; for managers, emails that failed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from whistledesk.accounts.decorators import staff_required
from whistledesk.accounts.roles import Role
from whistledesk.core.exceptions import DomainError
from whistledesk.notifications.models import AlertKind
from whistledesk.notifications.outbox import email_problems
from whistledesk.notifications.preferences import alert_choices
from whistledesk.notifications.services import alert_preferences_save, email_send_again


class AlertsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Email me when",
        choices=AlertKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def alert_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = AlertsForm(request.POST)
        if form.is_valid():
            chosen = set(form.cleaned_data["kinds"])
            alert_preferences_save(
                actor=user, choices={kind: kind.value in chosen for kind in AlertKind}
            )
            messages.success(request, "Your email alerts have been saved")
            return redirect("notifications:settings")
    else:
        current = alert_choices(user)
        form = AlertsForm(initial={"kinds": [k.value for k, on in current.items() if on]})
    is_manager = user.has_role(Role.MANAGER)  # type: ignore[union-attr]
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "has_email": bool(getattr(user, "email", "")),
            "is_manager": is_manager,
            "problems": email_problems(organisation=user.organisation)  # type: ignore[union-attr,arg-type]
            if is_manager
            else [],
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def email_retry_view(request: HttpRequest, email_id: int) -> HttpResponse:
    if not request.user.has_role(Role.MANAGER):  # type: ignore[union-attr]
        raise PermissionDenied
    try:
        email_send_again(actor=request.user, email_id=email_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The email will be sent again")
    return redirect("notifications:settings")
