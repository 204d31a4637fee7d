"""A view decorator over the casework permission table, and the refusal pages every staff
case view shows: refused by the access policy, or short of an unlocked key."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from whistledesk.accounts.decorators import staff_required
from whistledesk.cases.permissions import Perm, require
from whistledesk.core.exceptions import NotPermitted

View = Callable[..., HttpResponseBase]


def refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "cases/refused.html", {"message": message}, status=403)


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
