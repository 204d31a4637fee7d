"""Case page forms for the deadlines: extend the feedback deadline, set and close reminders.
Thin: validate, call one service (cases.deadlines, cases.reminders)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from whistledesk.accounts.decorators import staff_required
from whistledesk.cases.deadlines import feedback_extend
from whistledesk.cases.forms_deadlines import FeedbackExtensionForm, ReminderForm
from whistledesk.cases.models import CaseReminder, Disclosure
from whistledesk.cases.permissions import Perm
from whistledesk.cases.reminders import reminder_done, reminder_set
from whistledesk.cases.views_case import _form_page, _load, _private_key
from whistledesk.cases.views_permissions import refused
from whistledesk.core.exceptions import DomainError, NotPermitted


@staff_required
@require_http_methods(["GET", "POST"])
def feedback_extend_view(request: HttpRequest, reference: str) -> HttpResponse:
    def run(d: Disclosure, data: dict[str, Any]) -> Any:
        return feedback_extend(
            actor=request.user,
            disclosure=d,
            new_due_on=data["new_due_on"],
            reason=data["reason"],
            private_key=_private_key(request),
        )

    return _form_page(
        request,
        reference,
        perm=Perm.EXTEND_FEEDBACK,
        form_class=FeedbackExtensionForm,
        title="Extend the feedback deadline",
        run=run,
        done="Feedback deadline extended.",
        submit="Extend the deadline",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def reminder_set_view(request: HttpRequest, reference: str) -> HttpResponse:
    def run(d: Disclosure, data: dict[str, Any]) -> Any:
        return reminder_set(
            actor=request.user,
            disclosure=d,
            remind_on=data["remind_on"],
            note=data["note"],
            private_key=_private_key(request),
        )

    return _form_page(
        request,
        reference,
        perm=Perm.SET_REMINDER,
        form_class=ReminderForm,
        title="Set a reminder",
        run=run,
        done="Reminder set.",
        submit="Set reminder",
    )


@staff_required
@require_POST
def reminder_done_view(request: HttpRequest, reference: str, reminder_id: int) -> HttpResponse:
    try:
        disclosure = _load(request, reference, Perm.VIEW_CASE)
    except NotPermitted as exc:
        return refused(request, exc.message)
    reminder = CaseReminder.objects.filter(pk=reminder_id, disclosure=disclosure).first()
    if reminder is None:
        raise Http404
    try:
        reminder_done(actor=request.user, reminder=reminder)
    except NotPermitted as exc:
        return refused(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Reminder marked as done.")
    return redirect("cases:detail", reference=disclosure.reference)
