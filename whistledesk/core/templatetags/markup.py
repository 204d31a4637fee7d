"""Template filters for the safe Markdown subset (core/markup.py): `md` and `inline_md`."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from whistledesk.core.markup import inline_html, markdown_html

register = template.Library()


@register.filter
def md(text: str | None) -> SafeString:
    return markdown_html(text or "")


@register.filter
def inline_md(text: str | None) -> SafeString:
    return mark_safe(inline_html(text or ""))  # noqa: S308 - inline_html escapes everything else
