"""The staff page for personal API tokens: list, create (the token is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from whistledesk.accounts.decorators import role_required
from whistledesk.accounts.roles import Role
from whistledesk.api.forms import ApiTokenForm
from whistledesk.api.selectors import api_token_get, api_token_list
from whistledesk.api.services import api_token_create, api_token_revoke
from whistledesk.core.exceptions import DomainError


def _page(request: HttpRequest, form: ApiTokenForm, new_token: str = "") -> HttpResponse:
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": api_token_list(user=request.user), "new_token": new_token},  # type: ignore[arg-type]
    )
    # The new token is in this page and nowhere else: no cache may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


@role_required(*Role)
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            row, token = api_token_create(
                actor=request.user,
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                lifetime_days=form.cleaned_data["lifetime_days"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            # Rendered, not redirected: a redirect would have to carry the token somewhere.
            return _page(request, ApiTokenForm(), new_token=token)
    return _page(request, form)


@role_required(*Role)
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = api_token_get(user=request.user, token_id=token_id)  # type: ignore[arg-type]
    if token is None:
        raise Http404
    try:
        api_token_revoke(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The token '{token.name}' is revoked and no longer works.")
    return redirect("api_tokens:list")
