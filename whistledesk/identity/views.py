"""Identity access pages: the custodians' queue, one request, asking, and the ledger.

Thin: check who is asking, validate, call one service, render. Approval needs the
custodian's unlocked private key (it re-seals the identity key to the requester).
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from whistledesk.accounts.decorators import staff_required
from whistledesk.accounts.keyring import KeyLocked, staff_private_key
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.casefiles.identity_keys import IdentityLocked
from whistledesk.casefiles.notes import notes_reader
from whistledesk.cases.models import Disclosure
from whistledesk.cases.permissions import Perm, can_act_on
from whistledesk.cases.views_permissions import locked, refused
from whistledesk.core.exceptions import DomainError
from whistledesk.identity import selectors, services
from whistledesk.identity.forms import AskForm, DecisionForm
from whistledesk.identity.models import IdentityAccessRequest, RequestStatus
from whistledesk.organisation import tenancy


def _staff(request: HttpRequest) -> User:
    return cast(User, request.user)


def _is_custodian(user: User) -> bool:
    return user.has_role(Role.CUSTODIAN)


def _key_or_none(request: HttpRequest) -> bytes | None:
    try:
        return staff_private_key(request)
    except KeyLocked:
        return None


def _sign_in_again(request: HttpRequest, message: str) -> HttpResponse:
    return locked(request, message, sign_in_again=True)


@never_cache
@staff_required
def queue_view(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    custodian = _is_custodian(user)
    org = tenancy.request_organisation(request)
    pending = list(selectors.pending_requests(org)) if custodian else []
    approved = list(selectors.approved_requests(org)) if custodian else []
    mine = list(selectors.requests_by(user))
    selectors.requests_open_notes(
        [*pending, *approved, *mine], user=user, private_key=_key_or_none(request)
    )
    return render(
        request,
        "identity/queue.html",
        {
            "custodian": custodian,
            "pending": pending,
            "approved": approved,
            "mine": [(r, selectors.effective_status(r)) for r in mine],
            "Status": RequestStatus,
        },
    )


def _decide(request: HttpRequest, access: IdentityAccessRequest, action: str, reason: str) -> str:
    """Run the chosen service; returns the message for the person."""
    user = _staff(request)
    if action == "approve":
        services.identity_access_approve(
            actor=user, request=access, private_key=staff_private_key(request), reason=reason
        )
        return "Access approved: they can now see the identity on this case"
    if action == "refuse":
        services.identity_access_refuse(
            actor=user, request=access, reason=reason, private_key=staff_private_key(request)
        )
        return "Request refused: the requester will see your reason"
    if action == "revoke":
        services.identity_access_revoke(
            actor=user, request=access, reason=reason, private_key=staff_private_key(request)
        )
        return "Access revoked"
    services.identity_access_withdraw(actor=user, request=access)
    return "Request withdrawn"


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def request_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    # Another organisation's request answers as one that does not exist (ADR 0017).
    access = get_object_or_404(
        IdentityAccessRequest.objects.select_related("disclosure", "requester", "decided_by"),
        pk=pk,
        disclosure__organisation=tenancy.request_organisation(request),
    )
    # Custodians and the requester only; others learn nothing, not even that it exists.
    if not _is_custodian(user) and access.requester_id != user.pk:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = _decide(
                request, access, form.cleaned_data["action"], form.cleaned_data["reason"]
            )
        except KeyLocked as exc:
            return _sign_in_again(request, exc.message)
        except IdentityLocked:
            form.add_error(
                None,
                "You do not hold the identity key to this case, so you cannot pass it on. "
                "Another custodian must decide.",
            )
        except DomainError as exc:
            form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            messages.success(request, note)
            return redirect("identity:queue")
    selectors.requests_open_notes([access], user=user, private_key=_key_or_none(request))
    return render(
        request,
        "identity/request.html",
        {
            "access": access,
            "status": selectors.effective_status(access),
            "Status": RequestStatus,
            "form": form,
            "custodian": _is_custodian(user) and access.requester_id != user.pk,
            "mine": access.requester_id == user.pk,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def ask_view(request: HttpRequest, reference: str) -> HttpResponse:
    user = _staff(request)
    disclosure = get_object_or_404(
        Disclosure, organisation=tenancy.request_organisation(request), reference=reference
    )
    problem = services.may_request_problem(user, disclosure)
    if problem:
        return refused(request, problem)
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_access_request(
                actor=user,
                disclosure=disclosure,
                reason=form.cleaned_data["reason"],
                private_key=staff_private_key(request),
            )
        except KeyLocked as exc:
            return _sign_in_again(request, exc.message)
        except DomainError as exc:
            form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            messages.success(request, "Your request has gone to the identity custodians")
            return redirect("cases:casefile", reference=reference)
    return render(
        request,
        "identity/ask.html",
        {"disclosure": disclosure, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@staff_required
def ledger_view(request: HttpRequest, reference: str) -> HttpResponse:
    user = _staff(request)
    disclosure = get_object_or_404(
        Disclosure, organisation=tenancy.request_organisation(request), reference=reference
    )
    if not (can_act_on(user, Perm.VIEW_CASE, disclosure) or _is_custodian(user)):
        return refused(request, "Your role does not allow you to see this case's consent ledger.")
    key = _key_or_none(request)
    return render(
        request,
        "identity/ledger.html",
        {
            "disclosure": disclosure,
            "entries": selectors.consent_ledger(
                disclosure,
                notes=notes_reader(disclosure=disclosure, user=user, private_key=key),
                user=user,
                private_key=key,
            ),
        },
    )
