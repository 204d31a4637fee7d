"""Access control for staff views: signed in (and, where enforced, second factor) and roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from whistledesk.accounts.roles import Role
from whistledesk.accounts.two_factor import Step, second_factor_step

View = Callable[..., HttpResponseBase]

_STEP_URLS = {Step.VERIFY: "accounts:two_factor_verify", Step.ENROL: "accounts:two_factor_setup"}


def second_factor_redirect(request: HttpRequest, next_url: str) -> HttpResponse | None:
    """Where a signed-in person must go before any staff page, or None if nowhere."""
    step = second_factor_step(request)
    if step is Step.THROUGH:
        return None
    return HttpResponseRedirect(f"{reverse(_STEP_URLS[step])}?{urlencode({'next': next_url})}")


def staff_required(view: View) -> View:
    """A signed-in member of staff who has passed the second factor where it applies.

    The single place sign-in requirements are enforced: every staff view uses this (or
    `role_required`, which builds on it).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        pending = second_factor_redirect(request, request.get_full_path())
        if pending is not None:
            return pending
        return view(request, *args, **kwargs)

    return wrapped


def role_required(*roles: Role) -> Callable[[View], View]:
    """Signed in and holding at least one of `roles`; otherwise a clear 403 page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not any(user.has_role(r) for r in roles):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return staff_required(wrapped)

    return decorator
