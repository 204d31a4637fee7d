"""Which staff menu item the current page belongs to (GOV.UK service navigation)."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag
def nav_state(request: HttpRequest, url: str, *sections: str) -> str:
    """ "current" on the item's own page, "active" anywhere in its section, else "".

    The dashboard's address (/staff/) prefixes every staff page, so sections are named.
    """
    path = request.path
    if path == url:
        return "current"
    prefixes = sections or ((url,) if url != "/" else ())
    return "active" if any(path.startswith(p) for p in prefixes) else ""
