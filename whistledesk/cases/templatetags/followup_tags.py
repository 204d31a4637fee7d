"""The case page's follow-up panel: `{% load followup_tags %}{% followup_panel d %}`.

Kept apart from the case page's view so the shared page needs only one line.
"""

from __future__ import annotations

from typing import Any

from django import template

from whistledesk.accounts.keyring import staff_private_key
from whistledesk.casefiles.selectors import has_source_inbox
from whistledesk.cases.call_notes import call_notes_for_staff
from whistledesk.cases.followup import RECEIPT_CHANNELS
from whistledesk.cases.models import FollowupSent
from whistledesk.cases.permissions import Perm, can_act_on, has_perm
from whistledesk.core.exceptions import DomainError

register = template.Library()


@register.inclusion_tag("cases/followup/panel.html", takes_context=True)
def followup_panel(context: Any, disclosure: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    try:
        private_key: bytes | None = staff_private_key(request)
    except DomainError:
        private_key = None
    has_inbox = has_source_inbox(disclosure)
    can_send = can_act_on(user, Perm.MESSAGE_SOURCE, disclosure)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "d": disclosure,
        "has_inbox": has_inbox,
        "can_send": can_send,
        "can_word": has_perm(user, Perm.EDIT_FOLLOWUP_WORDING),
        "can_issue": can_send and disclosure.channel in RECEIPT_CHANNELS,
        "reviews": call_notes_for_staff(actor=user, disclosure=disclosure, private_key=private_key)
        if disclosure.channel == "helpline"
        else [],
        "sent": list(FollowupSent.objects.filter(disclosure=disclosure).select_related("sent_by")),
    }
