"""A small, safe Markdown subset for staff-written report text, in HTML and back to Markdown.

Staff text (functions, impact, examples) and the organisation's public pages may hold
paragraphs, "- " bullet lists, **bold** and [links](https://...). Everything else is escaped:
no raw HTML passes through, and a link whose address is not http(s), mailto, tel (a phone
number only), a fragment or a site path is shown as text. A site path is "/" followed by
anything but a second "/" or a backslash: browsers read "/\\evil" and "//evil" as another site.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_INLINE = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|\[(?P<text>[^\]\n]+)\]\((?P<url>[^)\s]+)\)"
    r"|\*\*(?P<bold>[^*\n]+)\*\*"
)
_SAFE_URL = re.compile(r"^(https?://|mailto:|tel:\+?[0-9 ]+$|#|/(?![/\\]))", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*] ")
# Characters that mean something in Markdown, inline or in a table cell.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!])")


def md_escape(text: str) -> str:
    """Plain text (a label, a generated sentence) made safe to place in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def safe_link(url: str) -> bool:
    """May `url` be a link's address? http(s), mailto, a fragment or a path on this site."""
    return bool(_SAFE_URL.match(url))


def inline_html(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(escape(text[pos : m.start()]))
        if m["escaped"] is not None:
            out.append(escape(m["escaped"]))
        elif m["url"] is not None:
            label = escape(m["text"])
            if safe_link(m["url"]):
                out.append(f'<a class="govuk-link" href="{escape(m["url"])}">{label}</a>')
            else:
                out.append(label)
        else:
            # Bold may hold a link ("**call [999](tel:999)**"); nothing else nests.
            out.append(f"<strong>{inline_html(m['bold'])}</strong>")
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


def _md_special(text: str) -> str:
    # Like md_escape, but keeps spaces: the pieces between links are joined back as they were.
    return _MD_SPECIAL.sub(r"\\\1", text)


def inline_markdown(text: str) -> str:
    """The same subset as `inline_html`, written back as Markdown: unsafe links become text."""
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(_md_special(text[pos : m.start()]))
        if m["escaped"] is not None:
            out.append(m.group(0))
        elif m["url"] is not None:
            label = _md_special(m["text"])
            out.append(f"[{label}]({m['url']})" if safe_link(m["url"]) else label)
        else:
            out.append(f"**{_md_special(m['bold'])}**")
        pos = m.end()
    out.append(_md_special(text[pos:]))
    return "".join(out)


def markdown_clean(text: str) -> str:
    """Staff Markdown as the HTML page shows it: paragraphs, bullets, bold and safe links only.

    Another program may render the Markdown report, so what it receives must be no more than
    what our own HTML allows (no raw HTML, no javascript: or off-site-by-trick links).
    """
    out: list[str] = []
    for block in blocks(text):
        lines = block.splitlines()
        if all(_BULLET.match(line) for line in lines):
            out.append("\n".join(f"- {inline_markdown(_BULLET.sub('', li))}" for li in lines))
        else:
            out.append(inline_markdown(" ".join(line.strip() for line in lines)))
    return "\n\n".join(out)


def markdown_html(text: str) -> SafeString:
    """Staff or organisation Markdown as HTML: the subset above, everything else escaped."""
    return mark_safe("".join(block_html(b) for b in blocks(text)))  # noqa: S308 - escaped above
