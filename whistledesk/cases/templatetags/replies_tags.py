"""`{% replies_marker d perms %}`: the case page's "reply waiting" marker (cases.replies)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import template

from whistledesk.cases.permissions import Perm
from whistledesk.cases.replies import replies_state

register = template.Library()


@register.inclusion_tag("cases/_replies_marker.html")
def replies_marker(disclosure: Any, perms: Collection[str]) -> dict[str, Any]:
    return {
        "d": disclosure,
        "state": replies_state(disclosure_id=disclosure.pk),
        # `perms` is the case page's allowed_perms (cases.permissions): may this person read.
        "may_read": Perm.OPEN_CONTENT.value in perms,
    }
