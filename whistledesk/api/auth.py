"""Bearer-token authentication for the API.

`Authorization: Bearer wd_...` - a personal token (api/models.py). Every request checks the
token is neither revoked nor expired, and that its owner is active and holds a role. No
session, no cookie: so CSRF does not apply, and a signed-in browser gets nothing from the
API without a token. A request is for the organisation of its address (/<slug>/api/v1/ or
the organisation's host: organisation/tenancy.py); a token works only there, where its
owner's account belongs, and anywhere else is refused exactly like an unknown token.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from whistledesk.api.selectors import api_token_find
from whistledesk.api.services import api_token_mark_used, holds_a_role
from whistledesk.core.exceptions import NotPermitted
from whistledesk.organisation.tenancy import request_organisation


class ApiTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        # Parsed here rather than by HttpBearer, which logs the whole header in DEBUG.
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = api_token_find(token=token, organisation=request_organisation(request))
        if row is None or not row.user.is_active:
            return None
        if not holds_a_role(row.user):
            raise NotPermitted("Your account has no role. Ask a manager to give you one.")
        api_token_mark_used(token=row)
        # Services and permission checks read the actor from here, as on the staff pages.
        request.user = row.user
        return row.user
