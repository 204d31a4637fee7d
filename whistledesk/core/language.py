"""Which language a public page is in: the one authority (docs/adr/0017, "Welsh").

English pages have no prefix; the Welsh copy of a public page is the same path under
`/cy/` inside the organisation (`/cy/report/check/`, `/cco/cy/follow-up/`). The choice
lives in the address, never in a cookie or the browser's Accept-Language: it works without
JavaScript, sets no tracking cookie, and every form, redirect and `reverse()` of a Welsh page
stays Welsh because `/cy/` becomes part of the script prefix (as tenancy does for `/<slug>/`).

Welsh exists only where the organisation lists "cy" in `languages`; elsewhere `/cy/...` is
404 and no switch is shown. Only the public side (the `intake` URLs) is translated: staff
pages stay English ("English first") and are 404 under `/cy/`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_script_prefix, resolve, set_script_prefix
from django.utils import translation

ENGLISH = "en"
WELSH = "cy"
# The <html lang> of each language: GOV.UK pages say en-GB for English.
HTML_LANG = {ENGLISH: "en-GB", WELSH: "cy"}
# The only URL namespace with a Welsh copy: the public service.
PUBLIC_NAMESPACE = "intake"
# Django's own code for the English pages (settings.LANGUAGE_CODE): en-GB dates and words.
_ENGLISH_ACTIVE = "en-gb"


def offers_welsh(organisation: Any) -> bool:
    """Whether this organisation's public service has a Welsh copy."""
    return organisation is not None and WELSH in organisation.language_codes


def public_language(code: str | None = None) -> str:
    """ "cy" or "en": the public language of `code` (default: the active language)."""
    code = code if code is not None else translation.get_language()
    return WELSH if (code or "").split("-")[0] == WELSH else ENGLISH


def _is_public(path_info: str) -> bool | None:
    """True for a public page, False for any other page, None for no page at all."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    return match.namespace == PUBLIC_NAMESPACE


class LanguageMiddleware:
    """Takes a `/cy/` prefix off the path, makes it part of the script prefix, and runs the
    request in Welsh; every other request runs in English.

    Placed right after the organisation middleware (it needs `request.organisation`) and
    before CSRF, so the CSRF failure page is in the request's language too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        welsh_path = path == f"/{WELSH}" or path.startswith(f"/{WELSH}/")
        if not welsh_path:
            return self._run(request, ENGLISH, "")
        organisation = getattr(request, "organisation", None)
        rest = path[len(WELSH) + 1 :]
        if not offers_welsh(organisation):
            # No Welsh here: the same answer as any address that does not exist.
            return self._not_found(request, ENGLISH)
        if rest == "":
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.path + "/")
        if _is_public(rest) is False:
            return self._not_found(request, WELSH)  # staff pages have no Welsh copy
        request.path_info = rest
        return self._run(request, WELSH, f"{WELSH}/")

    def _run(self, request: HttpRequest, language: str, prefix: str) -> HttpResponse:
        old_prefix = get_script_prefix()
        if prefix:
            set_script_prefix(old_prefix + prefix)
        request.public_language = language  # type: ignore[attr-defined]
        request.language_base_prefix = old_prefix  # type: ignore[attr-defined]
        with translation.override(_ENGLISH_ACTIVE if language == ENGLISH else language):
            request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
            try:
                response = self.get_response(request)
            finally:
                if prefix:
                    set_script_prefix(old_prefix)
        response.headers.setdefault("Content-Language", HTML_LANG[language])
        return response

    def _not_found(self, request: HttpRequest, language: str) -> HttpResponse:
        from django.http import Http404

        from whistledesk.core.views import page_not_found

        request.public_language = language  # type: ignore[attr-defined]
        request.language_base_prefix = get_script_prefix()  # type: ignore[attr-defined]
        with translation.override(_ENGLISH_ACTIVE if language == ENGLISH else language):
            return page_not_found(request, Http404())


def language_switch(request: HttpRequest) -> dict[str, Any]:
    """Template context: the page's <html lang> and the link to the same page in the other
    language (None where there is no Welsh, and on staff pages)."""
    language = getattr(request, "public_language", ENGLISH)
    context: dict[str, Any] = {
        "html_lang": HTML_LANG.get(language, "en-GB"),
        "other_language": None,
    }
    if not offers_welsh(getattr(request, "organisation", None)):
        return context
    if _is_public(request.path_info) is not True:
        return context
    base = getattr(request, "language_base_prefix", "/")
    page = request.path_info.lstrip("/")
    if language == WELSH:
        context["other_language"] = {"href": base + page, "lang": "en", "label": "English"}
    else:
        context["other_language"] = {
            "href": base + f"{WELSH}/" + page,
            "lang": WELSH,
            "label": "Cymraeg",
        }
    return context


@contextmanager
def public_language_override(language: str) -> Iterator[None]:
    """Compose something for a whistleblower (an email) in their language, outside their
    request: the words and every `reverse()` of a public page are in `language`."""
    language = public_language(language)
    old_prefix = get_script_prefix()
    in_welsh = old_prefix.endswith(f"/{WELSH}/")
    if language == WELSH and not in_welsh:
        set_script_prefix(old_prefix + f"{WELSH}/")
    elif language == ENGLISH and in_welsh:
        set_script_prefix(old_prefix[: -len(WELSH) - 1])
    try:
        with translation.override(_ENGLISH_ACTIVE if language == ENGLISH else language):
            yield
    finally:
        set_script_prefix(old_prefix)
