"""An account is signed in only in its own organisation (ADR 0017).

Sessions are per browser, and organisations may share a host (`/cco/`, `/ico/`), so a
session signed in for organisation A also reaches B's pages. There the account is
anonymous: B's pages ask it to sign in, and its roles, keys and name mean nothing to B.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse


def belongs_here(user: object, request: HttpRequest) -> bool:
    """The account is the request's organisation's (or neither has one: nothing configured).

    An account made before any organisation existed (`createsuperuser`, a first manager)
    joins the installation's first organisation, once, while it is the only one.
    """
    org = getattr(request, "organisation", None)
    if getattr(user, "organisation_id", None) is None and org is not None:
        adopt_if_sole(user, org)
    return getattr(user, "organisation_id", None) == (org.pk if org is not None else None)


def adopt_if_sole(user: object, org: object) -> None:
    from whistledesk.accounts.models import User
    from whistledesk.organisation.tenancy import sole_organisation

    if not isinstance(user, User) or user.organisation_id is not None:
        return
    sole = sole_organisation()
    if sole is None or sole.pk != getattr(org, "pk", None):
        return
    # The organisation already has an account of that name: this one stays outside it (it
    # would break the unique name, and it is not that person's account to take over).
    if User.objects.filter(organisation=sole, username__iexact=user.get_username()).exists():
        return
    User.objects.filter(pk=user.pk, organisation__isnull=True).update(organisation=sole)
    user.organisation = sole


class OwnOrganisationOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not belongs_here(user, request):
            request.user = AnonymousUser()
        return self.get_response(request)
