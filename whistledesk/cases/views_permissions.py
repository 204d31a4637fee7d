"""A view decorator over the casework permission table, and the refusal pages every staff
case view shows: refused by the access policy, or short of an unlocked key."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from whistledesk.accounts.decorators import staff_required
from whistledesk.cases.permissions import NOT_FOUND, Perm, require
from whistledesk.cases.selectors import disclosure_get
from whistledesk.core.exceptions import NotPermitted

if TYPE_CHECKING:
    from whistledesk.cases.models import Disclosure

View = Callable[..., HttpResponseBase]


def refused(request: HttpRequest, message: str) -> HttpResponse:
    """The refusal page; another organisation's case is the 404 of a missing one."""
    if message == NOT_FOUND:
        raise Http404
    return render(request, "cases/refused.html", {"message": message}, status=403)


def case_or_404(request: HttpRequest, reference: str) -> Disclosure:
    """The case with this reference in the request's organisation, else 404 (another
    organisation's case is not found, the same as a reference nobody has)."""
    disclosure = disclosure_get(
        organisation=getattr(request, "organisation", None), reference=reference
    )
    if disclosure is None:
        raise Http404
    return disclosure


def case_load(request: HttpRequest, reference: str, perm: Perm) -> Disclosure:
    """`case_or_404`, then `require` `perm` on it (NotPermitted: show `refused`)."""
    disclosure = case_or_404(request, reference)
    require(request.user, perm, disclosure)
    return disclosure


def locked(request: HttpRequest, message: str, *, sign_in_again: bool) -> HttpResponse:
    """No key to hand (sign in again) or no key to this case file (ask a manager)."""
    return render(
        request,
        "cases/locked.html",
        {
            "message": message,
            "sign_in_again": sign_in_again,
            "next": reverse("accounts:login") + "?next=" + request.path,
        },
        status=403,
    )


def perm_required(perm: Perm) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                require(request.user, perm)
            except NotPermitted as exc:
                return refused(request, exc.message)
            return view(request, *args, **kwargs)

        return staff_required(wrapped)

    return decorator
