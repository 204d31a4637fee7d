"""The case page's signposting section, from one include line in cases/case_detail.html."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("signposting/_panel.html", takes_context=True)
def signposting_panel(context: Any) -> dict[str, Any]:
    from whistledesk.signposting.views import panel_context

    return panel_context(
        user=context["request"].user, disclosure=context["d"], perms=context["perms"]
    )
