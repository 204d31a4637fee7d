"""Access control for staff views: signed in (and, where enforced, second factor) and roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from whistledesk.accounts.roles import Role

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """A signed-in member of staff. The single place sign-in requirements are enforced."""
    return login_required(view)


def role_required(*roles: Role) -> Callable[[View], View]:
    """Signed in and holding at least one of `roles`; otherwise a clear 403 page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not any(user.has_role(r) for r in roles):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return staff_required(wrapped)

    return decorator
