"""The signposting message: the organisation's template, its placeholders and its default.

A template is plain text with named placeholders, checked and filled like the report's
sentences (organisation.wording): only the names below are accepted, and filling never
uses `str.format`. A blank line starts a new paragraph in the whistleblower's inbox.

- ``{reference}``: the case reference;
- ``{organisation}``: this organisation, as written in a sentence;
- ``{body}``: the prescribed person's name;
- ``{matters}``: its prescribed matters (a sentence from the directory);
- ``{contact}``: its contact route (website, then email and telephone where published).
"""

from __future__ import annotations

import string

from whistledesk.organisation.wording import fill_placeholders, placeholder_problems

PLACEHOLDERS = frozenset({"reference", "organisation", "body", "matters", "contact"})
# Every template must name the body and how to reach it: that is the point of the message.
REQUIRED = ("body", "contact")

DEFAULT_TEMPLATE = """\
Thank you for telling us about your concern (reference {reference}). We have looked at it \
carefully. It is about matters outside those that {organisation} is prescribed for under \
the Public Interest Disclosure Act 1998, so we cannot take it forward ourselves.

The right body for this concern is {body}. It is prescribed for: {matters}

You can contact them here: {contact}

You need to contact {body} yourself: this message does not pass your concern or any \
details about you to them. If you tell them, you keep the legal protection for \
whistleblowers as long as you reasonably believe the concern is one they deal with and \
what you tell them is substantially true."""


def template_problems(text: str) -> list[str]:
    """Why `text` cannot be the signposting template (empty when it can)."""
    if not text.strip():
        return ["write the message"]
    problems = placeholder_problems(text, PLACEHOLDERS)
    if not problems:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        problems += [f"include {{{name}}}" for name in REQUIRED if name not in used]
    return problems


def message_fill(template: str, values: dict[str, str]) -> str:
    """The message; a stored template that turns out bad falls back to the default."""
    if template_problems(template):
        template = DEFAULT_TEMPLATE
    return fill_placeholders(template, values)
