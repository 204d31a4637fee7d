"""A small, safe Markdown subset for staff-written report text, in HTML and back to Markdown.

Staff text (functions, impact, examples) may hold paragraphs, "- " bullet lists, **bold**
and [links](https://...). Everything else is escaped: no raw HTML passes through, and
a link whose address is not http(s), mailto, a fragment or a site path is shown as text.
"""

from __future__ import annotations

import re

from django.utils.html import escape

_INLINE = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|\[(?P<text>[^\]\n]+)\]\((?P<url>[^)\s]+)\)"
    r"|\*\*(?P<bold>[^*\n]+)\*\*"
)
_SAFE_URL = re.compile(r"^(https?://|mailto:|#|/(?!/))", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*] ")
# Characters that mean something in Markdown, inline or in a table cell.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!])")


def md_escape(text: str) -> str:
    """Plain text (a label, a generated sentence) made safe to place in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def inline_html(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(escape(text[pos : m.start()]))
        if m["escaped"] is not None:
            out.append(escape(m["escaped"]))
        elif m["url"] is not None:
            label = escape(m["text"])
            if _SAFE_URL.match(m["url"]):
                out.append(f'<a class="govuk-link" href="{escape(m["url"])}">{label}</a>')
            else:
                out.append(label)
        else:
            out.append(f"<strong>{escape(m['bold'])}</strong>")
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def blocks(text: str) -> list[str]:
    """Markdown paragraphs and lists, split on blank lines."""
    return [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]


def block_html(block: str, *, p_class: str = "govuk-body") -> str:
    lines = block.splitlines()
    if all(_BULLET.match(line) for line in lines):
        items = "".join(f"<li>{inline_html(_BULLET.sub('', li))}</li>" for li in lines)
        return f'<ul class="govuk-list govuk-list--bullet">{items}</ul>'
    return f'<p class="{p_class}">{inline_html(" ".join(line.strip() for line in lines))}</p>'
