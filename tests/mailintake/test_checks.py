"""`whistledesk check` says when the mailbox is half set up, before the worker tries it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def test_a_mailbox_without_its_password_stops_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISTLEDESK_IMAP_HOST", "imap.office.example")
    monkeypatch.setenv("WHISTLEDESK_IMAP_USER", "disclosures")
    monkeypatch.delenv("WHISTLEDESK_IMAP_PASSWORD", raising=False)
    with pytest.raises(SystemCheckError, match="WHISTLEDESK_IMAP_PASSWORD"):
        call_command("check")


def test_a_missing_ca_file_stops_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISTLEDESK_IMAP_HOST", "imap.office.example")
    monkeypatch.setenv("WHISTLEDESK_IMAP_USER", "disclosures")
    monkeypatch.setenv("WHISTLEDESK_IMAP_PASSWORD", "secret words")
    monkeypatch.setenv("WHISTLEDESK_IMAP_CA_FILE", "/nonexistent/office-ca.pem")
    with pytest.raises(SystemCheckError, match="WHISTLEDESK_IMAP_CA_FILE"):
        call_command("check")


def test_no_mailbox_is_fine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WHISTLEDESK_IMAP_HOST", raising=False)
    call_command("check")
