"""The NinjaAPI instance mounted at /api/v1/, and its staff-only OpenAPI docs.

The docs page is ninja's Swagger UI served from our own static files (ninja is in
INSTALLED_APPS, so it does not fall back to its CDN template): our CSP allows no
third-party requests.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from whistledesk.accounts.decorators import role_required
from whistledesk.accounts.roles import Role
from whistledesk.api import errors
from whistledesk.api.auth import ApiTokenAuth
from whistledesk.api.endpoints import router

api = NinjaAPI(
    title="Whistledesk staff API",
    version="1",
    description=(
        "Read the register, move cases through the workflow and fetch the annual report. "
        "Authenticate with a personal API token: `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=ApiTokenAuth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    # No validator badge: it would call validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    # The docs and the schema are for signed-in staff with a role (sessions, not tokens).
    docs_decorator=role_required(*Role),
)
errors.install(api)
api.add_router("/", router)
