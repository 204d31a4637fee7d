"""Template helpers for the audit log: who gets the navigation link, events in words."""

from __future__ import annotations

from typing import Any

from django import template

from whistledesk.audit import access
from whistledesk.audit.labels import DescribedEvent, describe_event

register = template.Library()
register.filter("can_see_audit_log", access.can_see_audit_log)


@register.filter
def described(event: Any) -> DescribedEvent:
    """`{% with d=event|described %}{{ d.title }}...`: see audit/labels.py."""
    return describe_event(event.action, event.details)
