"""A caller's answer about the notes of their call, from the follow-up inbox (Art 18).

A plain form POST (works without JavaScript): agree, or ask for a correction with text.
The inbox page (views_inbox) shows the notes; this records the answer (cases.call_notes).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from whistledesk.casefiles.services import message_list_for_source
from whistledesk.cases.call_notes import call_notes_for_source, call_notes_respond
from whistledesk.core.exceptions import DomainError
from whistledesk.intake.forms import SourceMessageForm
from whistledesk.intake.status import status_for_source
from whistledesk.intake.throttle import INBOX_MESSAGES, Throttled, throttle_hit
from whistledesk.intake.views_inbox import _source

MAX_CORRECTION_CHARS = 5000


@never_cache
@require_POST
def call_notes_answer(request: HttpRequest, review_id: int) -> HttpResponse:
    source = _source(request)
    if source is None:
        messages.info(request, gettext("Sign in with your receipt to see your messages."))
        return redirect("intake:inbox_sign_in")
    answer = request.POST.get("answer", "")
    correction = request.POST.get("correction", "")[: MAX_CORRECTION_CHARS + 1]
    error = None
    if answer not in ("agree", "correct"):
        error = gettext("Choose whether the notes are right or need correcting.")
    else:
        try:
            throttle_hit(request, INBOX_MESSAGES)
            call_notes_respond(
                source=source,
                review_id=review_id,
                agree=answer == "agree",
                correction=correction if answer == "correct" else "",
            )
        except (Throttled, DomainError) as exc:
            error = exc.message
    if error is None:
        messages.success(
            request,
            gettext("Thank you: you agreed the notes of your call")
            if answer == "agree"
            else gettext("Thank you: we have your correction and will look at it"),
        )
        return redirect("intake:inbox")
    return render(
        request,
        "intake/inbox.html",
        {
            "disclosure": source.disclosure,
            "status": status_for_source(source.disclosure),
            "thread": message_list_for_source(source=source),
            "form": SourceMessageForm(),
            "call_notes": call_notes_for_source(source=source),
            "call_notes_error": error,
            "call_notes_answer": answer,
            "call_notes_correction": correction,
        },
        status=400,
    )
