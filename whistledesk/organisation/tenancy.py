"""Which organisation a request, a command or a task is for: the one authority (ADR 0017).

An installation serves one or several organisations. A request is for:
1. the organisation whose `host` is the request's host name; otherwise
2. the organisation whose `slug` is the path's first segment (`/cco/staff/...`): the
   prefix is taken off `path_info` and becomes the script prefix, so every `reverse()` and
   `{% url %}` stays inside it; otherwise
3. the only organisation, when the installation has exactly one (served at `/`, as before).
With several organisations and none of these, the request is for no organisation: only the
list of organisations (`/`), static files and the health check answer; everything else is 404.

Commands and worker tasks have no request: they name the organisation (`--organisation
SLUG`, or the case they work on) and run inside `activate(org)`.

Nothing here filters a query by itself. Every query names the organisation it is for; this
module only says which one that is (`current()`), and `organisation_get()` reads it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, set_script_prefix

if TYPE_CHECKING:
    from whistledesk.organisation.models import Organisation

_current: contextvars.ContextVar[Organisation | None] = contextvars.ContextVar(
    "whistledesk_organisation", default=None
)

# Paths that are the installation's, not an organisation's: they answer with no organisation.
INSTALLATION_PATHS = ("/static/", "/healthz", "/favicon.ico", "/robots.txt")


class NoOrganisation(Exception):
    """Work that needs an organisation was asked for outside one (several exist)."""


def current() -> Organisation | None:
    """The organisation the running request, command or task is for (None: none chosen)."""
    return _current.get()


@contextlib.contextmanager
def activate(organisation: Organisation | None) -> Iterator[Organisation | None]:
    """Run the block for `organisation` (a command, a task, a test)."""
    token = _current.set(organisation)
    try:
        yield organisation
    finally:
        _current.reset(token)


def sole_organisation() -> Organisation | None:
    """The installation's organisation if it has exactly one, else None."""
    from whistledesk.organisation.models import Organisation

    orgs = list(Organisation.objects.order_by("id")[:2])
    return orgs[0] if len(orgs) == 1 else None


def by_slug(slug: str) -> Organisation | None:
    from whistledesk.organisation.models import Organisation

    if not slug or "\x00" in slug:
        return None
    return Organisation.objects.filter(slug=slug).first()


def _host_name(request: HttpRequest) -> str:
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: Django answers 400 itself later
        return ""
    return host.rsplit(":", 1)[0].lower() if not host.startswith("[") else host.lower()


def resolve(request: HttpRequest) -> tuple[Organisation | None, str]:
    """The request's organisation and the path prefix it was found by ("" for none)."""
    from django.db.models import Q

    from whistledesk.organisation.models import Organisation

    host = _host_name(request)
    path = request.path_info
    first = path.lstrip("/").split("/", 1)[0]
    by_path = (
        bool(first)
        and "\x00" not in first
        and (path.startswith(f"/{first}/") or path == f"/{first}")
    )
    wanted = Q(pk__in=[])
    if host:
        wanted |= Q(host=host) & ~Q(host="")
    if by_path:
        wanted |= Q(slug=first)
    found = list(Organisation.objects.filter(wanted)[:2]) if (host or by_path) else []
    for org in found:
        if host and org.host == host:
            return org, ""
    for org in found:
        if by_path and org.slug == first:
            return org, f"/{first}"
    return sole_organisation(), ""


class OrganisationMiddleware:
    """Sets `request.organisation` (and the context) for the rest of the request.

    Placed before the session and authentication middleware, so that everything after it,
    the URL resolver included, sees the path inside the organisation.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        org, prefix = resolve(request)
        request.organisation = org  # type: ignore[attr-defined]
        request.organisation_prefix = prefix  # type: ignore[attr-defined]
        old_prefix = get_script_prefix()
        if prefix:
            if request.path_info == prefix:
                from django.http import HttpResponseRedirect

                return HttpResponseRedirect(request.path + "/")
            request.path_info = request.path_info[len(prefix) :]
            set_script_prefix(old_prefix.rstrip("/") + prefix + "/")
        if org is None and not request.path_info.startswith(INSTALLATION_PATHS):
            chooser = _no_organisation_response(request)
            if chooser is not None:
                return chooser
        token = _current.set(org)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
            if prefix:
                set_script_prefix(old_prefix)


def _no_organisation_response(request: HttpRequest) -> HttpResponse | None:
    """With several organisations and none chosen: their list at `/`, 404 elsewhere."""
    from django.http import Http404
    from django.template.response import TemplateResponse

    from whistledesk.organisation.models import Organisation

    orgs = list(Organisation.objects.order_by("name").only("name", "slug", "host"))
    if not orgs:
        return None  # nothing configured yet: the pages say how to configure
    if request.path_info != "/":
        from whistledesk.core.views import page_not_found

        return page_not_found(request, Http404())
    response = TemplateResponse(
        request, "organisation/choose_organisation.html", {"organisations": orgs}
    )
    return response.render()


def request_organisation(request: HttpRequest) -> Organisation | None:
    return getattr(request, "organisation", None)


def add_organisation_argument(parser: Any) -> None:
    """`--organisation SLUG` for a management command (needed when there are several)."""
    parser.add_argument(
        "--organisation",
        metavar="SLUG",
        help="The organisation to work on, by its slug (needed when the installation has "
        "several; `whistledesk list_organisations` lists them).",
    )


def organisation_from_options(options: dict[str, Any]) -> Organisation:
    """The organisation a command names, or the only one. Raises CommandError to fix."""
    from django.core.management.base import CommandError

    from whistledesk.organisation.models import Organisation

    slug = options.get("organisation")
    if slug:
        org = by_slug(slug)
        if org is None:
            known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"No organisation has the slug {slug!r}"
                + (f" (there are: {known})." if known else ".")
            )
        return org
    org = sole_organisation()
    if org is None:
        if Organisation.objects.exists():
            known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"This installation has several organisations ({known}): "
                "name one with --organisation SLUG."
            )
        raise CommandError(
            "No organisation is configured. Run `whistledesk configure_organisation FILE.toml` "
            "or `whistledesk load_demo`."
        )
    return org


def public_url(organisation: Organisation, path: str = "/") -> str:
    """The full address of `path` (a path inside the organisation, "/follow-up/") at the
    organisation's own address: the one place that decides what an email or a link names.

    `https://<host>` when the organisation has its own host name; otherwise the
    installation's WHISTLEDESK_BASE_URL followed by `/<slug>`, or by nothing when it is the
    only organisation (served at `/`, as before).
    """
    from django.conf import settings

    if not path.startswith("/"):
        path = "/" + path
    if organisation.host:
        return f"https://{organisation.host}{path}"
    base = str(settings.WHISTLEDESK_BASE_URL).rstrip("/")
    only = sole_organisation()
    if only is not None and only.pk == organisation.pk:
        return base + path
    return f"{base}/{organisation.slug}{path}"


def public_reverse(
    organisation: Organisation, viewname: str, *args: Any, language: str = "en"
) -> str:
    """`public_url` of a named view: reversed as a path inside the organisation, whatever
    the script prefix of the request or task that asks (a staff request at /a/ writing to
    a whistleblower must not name /a/ twice, nor another organisation's prefix). A public
    page in Welsh (`language="cy"`, core/language.py) is under /cy/ inside the organisation."""
    from django.urls import reverse

    old = get_script_prefix()
    set_script_prefix("/")
    try:
        path = reverse(viewname, args=args)
    finally:
        set_script_prefix(old)
    if language == "cy" and "cy" in organisation.language_codes:
        path = "/cy" + path
    return public_url(organisation, path)
