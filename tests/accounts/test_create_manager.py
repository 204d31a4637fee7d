"""The first manager of a new office comes from a command (the admin no longer makes one)."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(monkeypatch: Any, password: str, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_manager", *args, stdout=out)
    return out.getvalue()


def test_creates_a_manager_with_a_key_pair_audited(monkeypatch: Any, client: Any) -> None:
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    out = _run(monkeypatch, "the-first-managers-password", "meg", "--email", "meg@example.org")
    assert "Manager 'meg' created" in out
    meg = User.objects.get(username="meg")
    assert meg.has_role(Role.MANAGER) and meg.public_key is not None
    event = AuditEvent.objects.get(action="user.created")
    assert event.actor_label == "create_manager" and event.details == {"roles": ["manager"]}
    client.force_login(meg)
    assert client.get("/staff/people/").status_code == 200


def test_refuses_a_weak_password_and_a_taken_name(monkeypatch: Any, make_staff: Any) -> None:
    with pytest.raises(CommandError, match="at least 12 characters"):
        _run(monkeypatch, "short", "meg")
    make_staff("meg")
    with pytest.raises(CommandError, match="already taken"):
        _run(monkeypatch, "the-first-managers-password", "meg")
    assert not AuditEvent.objects.filter(object_id="meg", action="user.created").count() > 1
