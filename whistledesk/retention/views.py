"""Staff pages for retention (managers): what is due, what is on hold; place and lift holds."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from whistledesk.accounts.decorators import role_required
from whistledesk.accounts.roles import Role
from whistledesk.cases.models import Disclosure
from whistledesk.core.exceptions import DomainError
from whistledesk.retention.forms import HoldLiftForm, HoldPlaceForm, PreviewDateForm
from whistledesk.retention.models import LegalHold
from whistledesk.retention.selectors import legal_hold_list_active, retention_preview
from whistledesk.retention.services import legal_hold_lift, legal_hold_place


def _page(request: HttpRequest, hold_form: HoldPlaceForm | None = None) -> HttpResponse:
    # The manager's own organisation (the request's: accounts.middleware makes anyone else
    # anonymous here), never "the only one".
    organisation = request.user.organisation  # type: ignore[union-attr]
    if organisation is None:  # an account made before any organisation was configured
        return render(
            request,
            "cases/not_configured.html",
            {
                "message": "No organisation is configured. Run `whistledesk configure_organisation"
                " FILE.toml` or `whistledesk load_demo`."
            },
        )
    date_form = PreviewDateForm(request.GET if "on" in request.GET else None)
    today = timezone.localdate()
    if date_form.is_bound and date_form.is_valid() and date_form.cleaned_data["on"]:
        today = date_form.cleaned_data["on"]
    preview = retention_preview(organisation=organisation, today=today)
    context = {
        "date_form": date_form,
        "preview": preview,
        # Holds that are all that stands between a case and destruction on that date.
        "held_ids": {item.disclosure_id for item in preview.held},
        "holds": legal_hold_list_active(organisation=organisation),
        "hold_form": hold_form or HoldPlaceForm(),
        "lift_form": HoldLiftForm(),
    }
    return render(request, "retention/overview.html", context)


@role_required(Role.MANAGER)
def retention_overview(request: HttpRequest) -> HttpResponse:
    return _page(request)


@role_required(Role.MANAGER)
@require_POST
def legal_hold_place_view(request: HttpRequest) -> HttpResponse:
    form = HoldPlaceForm(request.POST)
    if form.is_valid():
        reference = form.cleaned_data["reference"].strip()
        # Only the manager's own organisation's cases: another's is "no case" (ADR 0017).
        disclosure = Disclosure.objects.filter(
            organisation=request.user.organisation,  # type: ignore[union-attr]
            reference__iexact=reference,
        ).first()
        if disclosure is None:
            form.add_error("reference", "There is no case with that reference.")
        else:
            try:
                legal_hold_place(
                    actor=request.user, disclosure=disclosure, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"{disclosure.reference} is now on legal hold.")
                return redirect("retention:overview")
    return _page(request, hold_form=form)


@role_required(Role.MANAGER)
@require_POST
def legal_hold_lift_view(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(
        LegalHold.objects.select_related("disclosure").filter(
            disclosure__organisation=request.user.organisation  # type: ignore[union-attr]
        ),
        pk=pk,
    )
    form = HoldLiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for lifting the hold (under 300 characters).")
        return redirect("retention:overview")
    try:
        legal_hold_lift(actor=request.user, hold=hold, reason=form.cleaned_data["lift_reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The legal hold on {hold.disclosure.reference} is lifted.")
    return redirect("retention:overview")
