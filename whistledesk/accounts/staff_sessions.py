"""Staff sessions: sign out everywhere.

Sessions live in the database (idle timeout: SESSION_COOKIE_AGE, renewed on every request),
so signing out everywhere deletes every unexpired session row that belongs to the user.
A session only names its user inside its encoded data, so each one is decoded; staff are
few and the public side keeps few sessions, so this is a short walk.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from whistledesk.audit.services import audit_record


def user_session_keys(*, user: Any) -> list[str]:
    keys = []
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).only(
        "session_key", "session_data"
    )
    for session in sessions.iterator(chunk_size=500):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def user_sign_out_everywhere(*, actor: Any, user: Any) -> int:
    """Delete all of `user`'s sessions, on every device. Returns how many were ended."""
    keys = user_session_keys(user=user)
    Session.objects.filter(session_key__in=keys).delete()
    audit_record(
        actor=actor,
        action="user.signed_out_everywhere",
        object_type="user",
        object_id=user.pk,
        details={"sessions_ended": len(keys)},
    )
    return len(keys)
