"""An organisation's configured text in the page's language (organisation/texts.py decides).

{% load organisation_texts %}
{{ org|localised:"public_guidance"|linebreaks }}
{% localised org "policy_text" %}          (the same, as a tag)
"""

from __future__ import annotations

from typing import Any

from django import template

from whistledesk.organisation import texts

register = template.Library()


@register.filter(name="localised")
def localised_filter(obj: Any, field: str) -> str:
    if obj is None or obj == "":
        return ""
    return texts.localised(obj, field)


@register.simple_tag(name="localised")
def localised_tag(obj: Any, field: str, language: str | None = None) -> str:
    if obj is None or obj == "":
        return ""
    return texts.localised(obj, field, language)
