"""The case page and its casework forms. Thin: check the role, validate, call one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from whistledesk.accounts.decorators import staff_required
from whistledesk.accounts.keyring import KeyLocked, staff_private_key
from whistledesk.audit.selectors import audit_events_for_disclosure
from whistledesk.casefiles.notes import notes_reader
from whistledesk.casefiles.selectors import key_holders, staff_holds_key
from whistledesk.cases import actions, assessment, safeguarding
from whistledesk.cases.deadline_selectors import case_deadlines
from whistledesk.cases.forms import (
    ActionForm,
    AssessmentForm,
    AssignForm,
    ConcernForm,
    ConfirmSafeguardingForm,
    ConflictForm,
    ConsentForm,
    ReferralForm,
    ResponseForm,
    TransitionForm,
)
from whistledesk.cases.models import Disclosure, Status
from whistledesk.cases.permissions import Perm, allowed_perms, refusal
from whistledesk.cases.selectors import case_detail, related_disclosures
from whistledesk.cases.views_permissions import case_load, case_or_404, locked, refused
from whistledesk.cases.workflow import (
    TRANSITION_LABELS,
    TRANSITIONS,
    disclosure_transition,
    transitions_from,
)
from whistledesk.core.exceptions import DomainError, NotPermitted
from whistledesk.retention.selectors import disclosure_is_destroyed

Run = Callable[[Disclosure, dict[str, Any]], Any]


_load = case_load


@staff_required
def case_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        disclosure = _load(request, reference, Perm.VIEW_CASE)
    except NotPermitted as exc:
        return refused(request, exc.message)
    perms = allowed_perms(request.user, disclosure)
    moves = [
        {"to": to, "label": TRANSITION_LABELS[(Status(disclosure.status), to)]}
        for to in transitions_from(disclosure.status)
        if TRANSITIONS[(Status(disclosure.status), to)] in perms
    ]
    related = related_disclosures(disclosure=disclosure)
    # One unsealing opens every note on the page; without the key they say so.
    private_key = _private_key(request)
    notes = notes_reader(disclosure=disclosure, user=request.user, private_key=private_key)
    context = {
        "d": disclosure,
        "perms": {p.value for p in perms},
        "moves": moves,
        "related_count": related.count(),
        "related": related[:10],
        **case_detail(disclosure=disclosure, notes=notes),
        "notes_key_locked": private_key is None,
        "content_refusal": refusal(request.user, Perm.OPEN_CONTENT, disclosure),
        **_casefile_state(disclosure),
        "audit_events": audit_events_for_disclosure(disclosure.pk),
        **case_deadlines(
            disclosure=disclosure, user=request.user, notes=notes, perms={p.value for p in perms}
        ),
    }
    return render(request, "cases/case_detail.html", context)


def _form_page(
    request: HttpRequest,
    reference: str,
    *,
    perm: Perm,
    form_class: type,
    title: str,
    run: Run,
    done: str,
    form_kwargs: Callable[[Disclosure], dict[str, Any]] | None = None,
    submit: str = "Save",
) -> HttpResponse:
    try:
        disclosure = _load(request, reference, perm)
    except NotPermitted as exc:
        return refused(request, exc.message)
    kwargs = form_kwargs(disclosure) if form_kwargs else {}
    # Bound on any POST, even an empty one (a plain "Acknowledge" button has no fields).
    bound = request.method == "POST"
    form = form_class(request.POST if bound else None, request.FILES if bound else None, **kwargs)
    if bound and form.is_valid():
        try:
            run(disclosure, form.cleaned_data)
        except KeyLocked as exc:
            # Notes are sealed with the case key, unlocked only at sign-in in this browser.
            return _sign_in_again(request, exc.message)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, done)
            return redirect("cases:detail", reference=disclosure.reference)
    return render(
        request,
        "cases/case_form.html",
        {"d": disclosure, "form": form, "title": title, "submit": submit},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def transition_view(request: HttpRequest, reference: str, to: str) -> HttpResponse:
    try:
        target = Status(to)
    except ValueError as exc:
        raise Http404 from exc
    disclosure = case_or_404(request, reference)
    label = TRANSITION_LABELS.get((Status(disclosure.status), target), "Change status")
    # Not a move from here: the service refuses it and the page says why (e.g. pressing
    # "Acknowledge" twice), rather than a misleading "your role does not allow".
    perm = TRANSITIONS.get((Status(disclosure.status), target), Perm.VIEW_CASE)

    def run(d: Disclosure, data: dict[str, Any]) -> Any:
        return disclosure_transition(
            actor=request.user,
            disclosure=d,
            to=target,
            reason=data.get("reason", ""),
            outcome=data.get("outcome"),
            private_key=_private_key(request),
        )

    return _form_page(
        request,
        reference,
        perm=perm,
        form_class=TransitionForm,
        title=label,
        run=run,
        done=f"Status changed to: {target.label.lower()}.",
        form_kwargs=lambda d: {"disclosure": d, "target": target},
        submit=label,
    )


@staff_required
def assess_view(request: HttpRequest, reference: str) -> HttpResponse:
    def run(d: Disclosure, data: dict[str, Any]) -> Any:
        return assessment.disclosure_assess(actor=request.user, disclosure=d, **data)

    def initial(d: Disclosure) -> dict[str, Any]:
        yes_no = {True: "yes", False: "no", None: None}
        return {
            "disclosure": d,
            "initial": {
                "categories": d.s43b_categories,
                "public_interest": yes_no[d.public_interest],
                "within_remit": yes_no[d.within_remit],
                "service": d.service_id,
                "risk_level": d.risk_level or None,
                "urgent": d.urgent,
                "setting_name": d.setting_name,
                "ofsted_urn": d.ofsted_urn,
                "local_authority": d.local_authority,
            },
        }

    return _form_page(
        request,
        reference,
        perm=Perm.ASSESS,
        form_class=AssessmentForm,
        title="Assessment",
        run=run,
        done="Assessment recorded.",
        form_kwargs=initial,
    )


def _sign_in_again(request: HttpRequest, message: str) -> HttpResponse:
    return locked(request, message, sign_in_again=True)


def _casefile_state(disclosure: Disclosure) -> dict[str, Any]:
    """Whether the case has sealed content, and whether its handler can read it.

    Assignment seals the case key to the new handler only when the assigning person holds it
    and is signed in with their key; otherwise the page must say so, not fail silently.
    """
    destroyed = disclosure_is_destroyed(disclosure=disclosure)
    has_casefile = not destroyed and key_holders(disclosure).exists()
    handler_locked_out = bool(
        has_casefile
        and disclosure.handler is not None
        and not staff_holds_key(user=disclosure.handler, disclosure=disclosure)
    )
    return {
        "content_destroyed": destroyed,
        "has_casefile": has_casefile,
        "handler_locked_out": handler_locked_out,
    }


def _private_key(request: HttpRequest) -> bytes | None:
    try:
        return staff_private_key(request)
    except DomainError:
        return None


@staff_required
def assign_view(request: HttpRequest, reference: str) -> HttpResponse:
    def run(d: Disclosure, data: dict[str, Any]) -> Any:
        return assessment.disclosure_assign(
            actor=request.user,
            disclosure=d,
            handler=data["handler"],
            private_key=_private_key(request),
        )

    return _form_page(
        request,
        reference,
        perm=Perm.ASSIGN,
        form_class=AssignForm,
        title="Assign a handler",
        run=run,
        done="Handler assigned.",
        form_kwargs=lambda d: {"disclosure": d},
    )


@staff_required
@require_http_methods(["POST"])
def take_view(request: HttpRequest, reference: str) -> HttpResponse:
    disclosure = case_or_404(request, reference)
    try:
        assessment.disclosure_assign(
            actor=request.user,
            disclosure=disclosure,
            handler=request.user,
            private_key=_private_key(request),
        )
    except NotPermitted as exc:
        return refused(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "You are now handling this case.")
    return redirect("cases:detail", reference=reference)


@staff_required
def conflict_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _form_page(
        request,
        reference,
        perm=Perm.RECORD_CONFLICT,
        form_class=ConflictForm,
        title="Record a conflict of interest",
        run=lambda d, data: assessment.conflict_record(
            actor=request.user, disclosure=d, private_key=_private_key(request), **data
        ),
        done="Conflict of interest recorded: that person can no longer open this case.",
        form_kwargs=lambda d: {"disclosure": d},
    )


@staff_required
def consent_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _form_page(
        request,
        reference,
        perm=Perm.RECORD_CONSENT,
        form_class=ConsentForm,
        title="Record the whistleblower's consent",
        run=lambda d, data: actions.consent_record(
            actor=request.user, disclosure=d, private_key=_private_key(request), **data
        ),
        done="Consent recorded.",
    )


@staff_required
def referral_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _form_page(
        request,
        reference,
        perm=Perm.REFER,
        form_class=ReferralForm,
        title="Record a referral",
        run=lambda d, data: actions.referral_record(
            actor=request.user, disclosure=d, private_key=_private_key(request), **data
        ),
        done="Referral recorded.",
        form_kwargs=lambda d: {"disclosure": d},
    )


@staff_required
def response_view(request: HttpRequest, reference: str, referral_id: int) -> HttpResponse:
    def run(d: Disclosure, data: dict[str, Any]) -> Any:
        referral = d.referrals.filter(pk=referral_id).first()
        if referral is None:
            raise Http404
        return actions.referral_response_record(
            actor=request.user, referral=referral, private_key=_private_key(request), **data
        )

    return _form_page(
        request,
        reference,
        perm=Perm.REFER,
        form_class=ResponseForm,
        title="Record the body's response",
        run=run,
        done="Response recorded.",
    )


@staff_required
def action_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _form_page(
        request,
        reference,
        perm=Perm.RECORD_ACTION,
        form_class=ActionForm,
        title="Record an action",
        run=lambda d, data: actions.action_record(
            actor=request.user, disclosure=d, private_key=_private_key(request), **data
        ),
        done="Action recorded.",
    )


@staff_required
def concern_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _form_page(
        request,
        reference,
        perm=Perm.RAISE_CONCERN,
        form_class=ConcernForm,
        title="Raise a safeguarding concern",
        run=lambda d, data: safeguarding.safeguarding_concern_raise(
            actor=request.user, disclosure=d, private_key=_private_key(request), **data
        ),
        done="Safeguarding concern raised. The case cannot close until a lead confirms action.",
    )


@staff_required
def confirm_view(request: HttpRequest, reference: str, concern_id: int) -> HttpResponse:
    def run(d: Disclosure, data: dict[str, Any]) -> Any:
        concern = d.safeguarding_concerns.filter(pk=concern_id).first()
        if concern is None:
            raise Http404
        return safeguarding.safeguarding_action_confirm(
            actor=request.user, concern=concern, private_key=_private_key(request), **data
        )

    return _form_page(
        request,
        reference,
        perm=Perm.CONFIRM_SAFEGUARDING,
        form_class=ConfirmSafeguardingForm,
        title="Confirm safeguarding action",
        run=run,
        done="Safeguarding action confirmed.",
    )
