"""The follow-up inbox's email setting: a whistleblower who asks is emailed "You have a new
message" when we write to them, at an address they give (docs/adr/0011).

Signed in with the receipt only. The page warns plainly of the risk first; the address is
sealed at once (casefiles.source_email) and shown back only to the receipt holder; it can
be removed at any time, which also cancels any notice still waiting to go.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from whistledesk.casefiles.source_email import (
    MAX_ADDRESS_CHARS,
    source_email_available,
    source_email_remove,
    source_email_set,
    source_email_show,
)
from whistledesk.core.exceptions import DomainError
from whistledesk.intake.throttle import INBOX_MESSAGES, Throttled, throttle_hit
from whistledesk.intake.views_inbox import _source


class SourceEmailForm(forms.Form):
    address = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "It can be a personal address: it does not need to be the one you use at work."
        ),
        max_length=MAX_ADDRESS_CHARS,
        error_messages={
            "required": _("Enter an email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": format_lazy(
                _("Email address must be {max} characters or fewer"), max=MAX_ADDRESS_CHARS
            ),
        },
    )
    understood = forms.BooleanField(
        label="I understand that anyone who can read this mailbox could learn that I have "
        "made a report",
        error_messages={"required": _("Confirm that you understand the risk before you continue")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def inbox_email(request: HttpRequest) -> HttpResponse:
    source = _source(request)
    if source is None:
        messages.info(request, gettext("Sign in with your receipt to see your messages."))
        return redirect("intake:inbox_sign_in")
    if not source_email_available():
        return render(request, "intake/inbox_email.html", {"available": False})
    form = SourceEmailForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and "remove" in request.POST:
        # Never throttled: a whistleblower must always be able to withdraw the address.
        if source_email_remove(source=source):
            messages.success(
                request, gettext("Your email address has been removed. We will not email you.")
            )
        return redirect("intake:inbox")
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                # Counted with follow-up messages: each change is a write and an audit event.
                throttle_hit(request, INBOX_MESSAGES)
                source_email_set(source=source, address=form.cleaned_data["address"])
            except Throttled as exc:
                form.add_error("address", exc.message)
                status = 429
            except DomainError as exc:
                form.add_error("address", exc.message)
            else:
                messages.success(
                    request,
                    gettext("We will email you when you have a new message, saying only that."),
                )
                return redirect("intake:inbox")
    return render(
        request,
        "intake/inbox_email.html",
        {"available": True, "form": form, "current": source_email_show(source=source)},
        status=status,
    )
