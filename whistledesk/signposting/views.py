"""Staff pages: signpost a case to another prescribed person; the directory; the message.

Thin: the access policy (cases.permissions) decides, a service writes, a selector reads.
Every page works without JavaScript: choosing a body is a search (GET) and radios.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from whistledesk.accounts.decorators import staff_required
from whistledesk.accounts.keyring import KeyLocked, staff_private_key
from whistledesk.casefiles.selectors import has_source_inbox
from whistledesk.casefiles.services import CaseFileLocked
from whistledesk.cases.models import Disclosure
from whistledesk.cases.permissions import Perm, refusal
from whistledesk.cases.views_permissions import case_or_404, locked, refused
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.selectors import organisation_get
from whistledesk.signposting import selectors, services
from whistledesk.signposting.forms import ConfirmForm, MessageForm
from whistledesk.signposting.message import DEFAULT_TEMPLATE
from whistledesk.signposting.models import Signpost


def _case(request: HttpRequest, reference: str, perm: Perm) -> tuple[Disclosure, str | None]:
    """The request's organisation's case (404 for another's) and why `perm` is refused."""
    disclosure = case_or_404(request, reference)
    return disclosure, refusal(request.user, perm, disclosure)


def _query(request: HttpRequest) -> tuple[str, str]:
    """The search words, or "" and a message saying what to fix."""
    query = request.GET.get("q", "").strip()
    if "\x00" in query:  # no database stores it; never a real search
        return "", "Search with words, without control characters"
    if len(query) > selectors.MAX_QUERY:
        return "", f"Search for {selectors.MAX_QUERY} characters or fewer"
    return query, ""


def _choose(
    request: HttpRequest, d: Disclosure, *, error: str = "", status: int = 200
) -> HttpResponse:
    query, query_error = _query(request)
    return render(
        request,
        "signposting/choose.html",
        {
            "d": d,
            "query": query,
            "bodies": selectors.directory_search(query=query),
            "source": selectors.directory_source(),
            "error": error,
            "query_error": query_error,
            "inbox": has_source_inbox(d),
        },
        status=400 if query_error else status,
    )


@require_GET
@staff_required
def choose_view(request: HttpRequest, reference: str) -> HttpResponse:
    d, problem = _case(request, reference, Perm.SIGNPOST)
    if problem:
        return refused(request, problem)
    return _choose(request, d)


@require_http_methods(["GET", "POST"])
@staff_required
def confirm_view(request: HttpRequest, reference: str) -> HttpResponse:
    d, problem = _case(request, reference, Perm.SIGNPOST)
    if problem:
        return refused(request, problem)
    data = request.POST if request.method == "POST" else None
    key = (data or request.GET).get("body", "")
    # A key with a NUL is no body's (and PostgreSQL cannot even compare it).
    body = None if "\x00" in key else selectors.directory_body(key=key[:100])
    if body is None:
        return _choose(request, d, error="Choose the body to signpost to", status=400)
    form = ConfirmForm(data, initial={"body": body.key})
    if data is not None and form.is_valid():
        try:
            signpost = services.signpost_record(
                actor=request.user, disclosure=d, body=body, private_key=_private_key(request)
            )
        except KeyLocked as exc:
            return locked(request, exc.message, sign_in_again=True)
        except CaseFileLocked as exc:
            return locked(request, exc.message, sign_in_again=False)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if signpost.message_id:
                messages.success(
                    request, f"Signposted to {body.name}: the message is in their inbox."
                )
                return redirect("cases:detail", reference=d.reference)
            messages.success(request, f"Signposted to {body.name}. Send them this message.")
            return redirect("signposting:detail", reference=d.reference, signpost_id=signpost.pk)
    return render(
        request,
        "signposting/confirm.html",
        {
            "d": d,
            "body": body,
            "form": form,
            "text": selectors.signpost_text(disclosure=d, body=body),
            "inbox": has_source_inbox(d),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@staff_required
def detail_view(request: HttpRequest, reference: str, signpost_id: int) -> HttpResponse:
    d, problem = _case(request, reference, Perm.VIEW_CASE)
    if problem:
        return refused(request, problem)
    signpost = (
        Signpost.objects.select_related("body", "recorded_by")
        .filter(disclosure=d, pk=signpost_id)
        .first()
    )
    if signpost is None:
        raise Http404
    return render(request, "signposting/detail.html", {"d": d, "s": signpost})


@require_GET
@staff_required
def directory_view(request: HttpRequest) -> HttpResponse:
    problem = refusal(request.user, Perm.VIEW_REGISTER)
    if problem:
        return refused(request, problem)
    query, query_error = _query(request)
    return render(
        request,
        "signposting/directory.html",
        {
            "query": query,
            "query_error": query_error,
            "bodies": selectors.directory_search(query=query),
            "source": selectors.directory_source(),
            "may_configure": refusal(request.user, Perm.CONFIGURE_SIGNPOSTING) is None,
        },
        status=400 if query_error else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def message_view(request: HttpRequest) -> HttpResponse:
    problem = refusal(request.user, Perm.CONFIGURE_SIGNPOSTING)
    if problem:
        return refused(request, problem)
    organisation = request.organisation or organisation_get()  # type: ignore[attr-defined]
    form = MessageForm(
        request.POST if request.method == "POST" else None,
        initial={"text": selectors.signpost_template(organisation=organisation)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signpost_message_set(
                actor=request.user, organisation=organisation, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, "Signposting message saved.")
            return redirect(reverse("signposting:directory"))
    return render(
        request,
        "signposting/message.html",
        {"form": form, "default": DEFAULT_TEMPLATE},
        status=400 if form.errors else 200,
    )


def _private_key(request: HttpRequest) -> bytes | None:
    try:
        return staff_private_key(request)
    except DomainError:
        return None


def panel_context(*, user: Any, disclosure: Disclosure, perms: set[str]) -> dict[str, Any]:
    """What the case page's signposting section shows (its template tag calls this)."""
    return {
        "d": disclosure,
        "signposts": list(selectors.case_signposts(disclosure=disclosure)),
        "may_signpost": "signpost" in perms and disclosure.status in services.OPEN_FOR_SIGNPOSTING,
        "may_close": "close" in perms and disclosure.status in services.OPEN_FOR_SIGNPOSTING,
    }
