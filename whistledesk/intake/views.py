"""Public pages: guidance, the one-question-a-page form, check answers, and the receipt.

They work without JavaScript, set no third-party anything, and store no IP address or user
agent. The draft lives in the session vault (see draft.py); nothing is in the register until
the person presses "Send".
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from whistledesk.core.exceptions import DomainError
from whistledesk.intake.answers import summary_rows
from whistledesk.intake.draft import draft_discard, draft_load, draft_save, vault_name
from whistledesk.intake.flow import CHECK, FILES, Flow, Step
from whistledesk.intake.forms import ContactForm, IdentityForm, SubmitForm
from whistledesk.intake.questions import PageForm, draft_flow
from whistledesk.intake.services import submission_receipt_shown, submission_send
from whistledesk.intake.throttle import SUBMISSIONS, throttle_hit, throttle_refund
from whistledesk.organisation.questionnaire_services import questionnaire_current
from whistledesk.organisation.selectors import NotConfigured, organisation_get, service_list
from whistledesk.organisation.texts import active_language

logger = logging.getLogger(__name__)

RECEIPT_VAULT = "intake-receipt"
REFERENCE_VAULT = "intake-reference"
SENT_VAULT = "intake-sent"


def _not_available(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/not_available.html", status=503)


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    try:
        organisation = organisation_get()
    except NotConfigured:
        return _not_available(request)
    current = questionnaire_current(organisation=organisation, language=active_language())
    flow = Flow(current.questionnaire, services={})
    return render(
        request,
        "intake/start.html",
        {
            "organisation": organisation,
            "q": current.questionnaire,
            "texts": current.questionnaire.all_texts(),
            "first_url": _step_url(flow.steps[0].slug),
        },
    )


def _step_url(slug: str, *, change: bool = False) -> str:
    if slug == CHECK:
        return reverse("intake:check")
    if slug == FILES:
        return reverse("intake:files")
    url = reverse("intake:step", args=[slug])
    return f"{url}?change=1" if change else url


def _form(step: Step, data: Any = None, *, initial: dict[str, Any] | None = None) -> Any:
    if step.kind == "identity":
        return IdentityForm(data, initial=initial)
    if step.kind == "contact":
        return ContactForm(data, initial=initial)
    assert step.page is not None
    services = service_list(organisation=organisation_get(), active_only=True)
    return PageForm(data, initial=initial, page=step.page, services=services)


def _initial(step: Step, answers: dict[str, Any]) -> dict[str, Any]:
    if step.kind == "questions":
        assert step.page is not None
        return PageForm.initial_from(step.page, answers)
    return {k: answers.get(k) for k in step.owned}


@never_cache
@require_http_methods(["GET", "POST"])
def step_view(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = organisation_get()
    except NotConfigured:
        return _not_available(request)
    draft = draft_load(request)
    flow = draft_flow(draft, organisation=organisation)
    step = flow.by_slug.get(slug)
    if step is None:
        raise Http404
    if step.kind == "files":
        return redirect("intake:files")
    has_form = step.kind != "info"
    # A valid answer is kept even if earlier ones have gone (the session expired while the
    # person was typing): losing a long account to a timeout is worse than asking again.
    expired = request.method == "POST" and not draft.answers and has_form
    if not expired and not flow.may_visit(slug, draft.answers):
        return redirect(_step_url(flow.first_incomplete(draft.answers)))
    changing = request.GET.get("change") == "1"

    form = None
    if request.method == "POST":
        if has_form:
            form = _form(step, request.POST)
        if form is None or form.is_valid():
            if form is not None:
                draft.answers.update(form.answers())
            # An information page, or a page of optional questions: Continue records it.
            draft.answers.update({k: True for k in step.markers})
            draft.answers = flow.prune(draft.answers)
            draft_save(request, draft)
            if expired and slug != flow.steps[0].slug:
                messages.info(
                    request,
                    gettext(
                        "Your earlier answers were deleted after 30 minutes without activity, "
                        "to keep them safe. We kept the answer you just gave. Please answer "
                        "the other questions again."
                    ),
                )
                return redirect(_step_url(flow.first_incomplete(draft.answers)))
            if changing:
                return redirect(_step_url(flow.first_incomplete(draft.answers)))
            return redirect(_step_url(flow.after(slug, draft.answers)))
    elif has_form:
        form = _form(step, initial=_initial(step, draft.answers))

    back = flow.before(slug, draft.answers)
    return render(
        request,
        "intake/step_info.html" if step.kind == "info" else "intake/step.html",
        {
            "step": step,
            "page": step.page,
            "form": form,
            "back_url": reverse("intake:check")
            if changing
            else (_step_url(back) if back else reverse("intake:start")),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    try:
        organisation = organisation_get()
    except NotConfigured:
        return _not_available(request)
    draft = draft_load(request)
    if not draft.answers and request.vault.get(vault_name(request, RECEIPT_VAULT)) is not None:  # type: ignore[attr-defined]
        # Sent, but the receipt page has not been seen yet (Send pressed twice, or the
        # connection dropped after sending): show it rather than an empty form.
        return redirect("intake:receipt")
    flow = draft_flow(draft, organisation=organisation)
    if not flow.may_visit(CHECK, draft.answers):
        return redirect(_step_url(flow.first_incomplete(draft.answers)))
    form = SubmitForm(request.POST if request.method == "POST" else None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm_address"]:
            # The honeypot was filled in: a bot. Refuse without saying why.
            problem = gettext("We could not accept this form. Check your answers and try again.")
        else:
            attempt = None
            try:
                # Counted before sending, so parallel sends cannot overrun the limit.
                attempt = throttle_hit(request, SUBMISSIONS)
                submission = submission_send(draft=draft, organisation=organisation)
            except DomainError as exc:
                throttle_refund(attempt)
                problem = exc.message
            except Exception as exc:  # noqa: BLE001 - the person must keep their answers
                throttle_refund(attempt)
                # Only the kind of failure is logged: never an answer, file or receipt.
                logger.error("submission failed: %s", type(exc).__name__)
                problem = gettext(
                    "Sorry, there was a problem sending your disclosure. Nothing has been "
                    "sent and your answers are still here. Try again in a few minutes."
                )
            else:
                if submission.repeated:
                    throttle_refund(attempt)  # the same disclosure again: not a new one
                # Committed: only now is the receipt handed over, once, via the vault.
                draft_discard(request, draft)
                if submission.receipt:
                    vault = request.vault  # type: ignore[attr-defined]
                    vault.put(vault_name(request, RECEIPT_VAULT), submission.receipt.encode())
                    vault.put(
                        vault_name(request, REFERENCE_VAULT), submission.reference.encode()
                    )
                    vault.put(vault_name(request, SENT_VAULT), draft.token.encode())
                return redirect("intake:receipt")
    rows = summary_rows(draft.answers, flow=flow, step_url=_step_url)
    back = flow.before(CHECK, draft.answers)
    return render(
        request,
        "intake/check.html",
        {
            "rows": rows,
            "files": draft.files,
            "files_url": reverse("intake:files"),
            "form": form,
            "problem": problem,
            "back_url": _step_url(back) if back else reverse("intake:start"),
        },
        status=400 if problem else 200,
    )


@never_cache
@require_GET  # not HEAD either: a prefetch or link checker must not use the receipt up
def receipt(request: HttpRequest) -> HttpResponse:
    """Shows the receipt once. A reload finds it gone: it exists nowhere else.

    Only at the organisation it was sent to: the vault keeps each organisation's apart."""
    try:
        organisation = organisation_get()
    except NotConfigured:
        return _not_available(request)
    vault = request.vault  # type: ignore[attr-defined]
    names = [vault_name(request, n) for n in (RECEIPT_VAULT, REFERENCE_VAULT, SENT_VAULT)]
    raw, reference, sent = (vault.get(n) for n in names)
    for name in names:
        vault.delete(name)
    if sent:
        submission_receipt_shown(organisation=organisation, send_token=sent.decode())
    q = questionnaire_current(organisation=organisation, language=active_language()).questionnaire
    return render(
        request,
        "intake/receipt.html",
        {
            "texts": q.all_texts(),
            "receipt": raw.decode() if raw else "",
            "reference": reference.decode() if reference else "",
        },
    )
