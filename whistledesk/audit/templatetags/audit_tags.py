"""Template helpers for the audit log: who gets the navigation link."""

from __future__ import annotations

from django import template

from whistledesk.audit import access

register = template.Library()
register.filter("can_see_audit_log", access.can_see_audit_log)
