"""The mailbox of an installation with two organisations (ADR 0017, issue 12): it feeds the
organisation WHISTLEDESK_IMAP_ORGANISATION names, and says which variable to set when it
names none. A real IMAP server (dovecot on loopback, TLS), as in test_services.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.factories import OrganisationFactory
from tests.mailintake.conftest import ImapServer
from tests.mailintake.test_services import PLAIN
from whistledesk.cases.models import Disclosure
from whistledesk.mailintake.config import MailboxConfig
from whistledesk.mailintake.models import MailboxMessage
from whistledesk.mailintake.services import mailbox_poll
from whistledesk.mailintake.tasks import mailbox_poll as mailbox_poll_task

pytestmark = pytest.mark.django_db

DONE = "Whistledesk-done"


@pytest.fixture
def orgs() -> tuple[Any, Any]:
    return (
        OrganisationFactory(name="Aldermoor Standards Office", slug="aldermoor"),
        OrganisationFactory(name="Brackenfield Care Board", slug="brackenfield"),
    )


def test_the_mailbox_feeds_the_organisation_it_names(
    imap_server: ImapServer, orgs: tuple[Any, Any]
) -> None:
    aldermoor, brackenfield = orgs
    # Given an email in Brackenfield's mailbox
    imap_server.deliver(PLAIN)
    # When the mailbox configured for Brackenfield is polled
    result = mailbox_poll(config=imap_server.config(organisation="brackenfield"))
    # Then the intake is in Brackenfield's register, and Aldermoor's is empty
    assert (
        list(
            Disclosure.objects.filter(organisation=brackenfield).values_list("reference", flat=True)
        )
        == result.taken
    )
    assert len(result.taken) == 1
    assert not Disclosure.objects.filter(organisation=aldermoor).exists()
    assert list(MailboxMessage.objects.values_list("organisation__slug", flat=True)) == [
        "brackenfield"
    ]


def test_one_email_sent_to_two_offices_is_taken_in_by_each(
    imap_server: ImapServer, orgs: tuple[Any, Any]
) -> None:
    aldermoor, brackenfield = orgs
    # Given the same email (same Message-ID, same content) reaching each office's mailbox
    imap_server.deliver(PLAIN)
    first = mailbox_poll(config=imap_server.config(organisation="aldermoor"))
    imap_server.deliver(PLAIN)
    second = mailbox_poll(config=imap_server.config(organisation="brackenfield"))
    # Then each office has its own intake of it
    assert len(first.taken) == 1
    assert len(second.taken) == 1
    assert sorted(Disclosure.objects.values_list("organisation__slug", flat=True)) == [
        "aldermoor",
        "brackenfield",
    ]
    # ...and a second poll for Brackenfield takes nothing twice
    imap_server.deliver(PLAIN)
    again = mailbox_poll(config=imap_server.config(organisation="brackenfield"))
    assert again.taken == []
    assert again.already == 1


def test_with_several_organisations_the_mailbox_must_name_one(
    imap_server: ImapServer, orgs: tuple[Any, Any], monkeypatch: Any
) -> None:
    imap_server.deliver(PLAIN)
    # When the mailbox names no organisation, or one that does not exist
    with pytest.raises(ImproperlyConfigured) as none_named:
        mailbox_poll(config=imap_server.config())
    with pytest.raises(ImproperlyConfigured) as unknown:
        mailbox_poll(config=imap_server.config(organisation="nowhere"))
    # Then the message says which variable to set, and to what
    assert str(none_named.value) == (
        "This installation has several organisations (aldermoor, brackenfield): set "
        "WHISTLEDESK_IMAP_ORGANISATION to the slug of the one the mailbox feeds."
    )
    assert str(unknown.value) == (
        "WHISTLEDESK_IMAP_ORGANISATION is 'nowhere', which is not the slug of any "
        "organisation (there are: aldermoor, brackenfield)."
    )
    # ...the worker's job reports it without failing, and the email stays in the inbox
    for name, value in imap_server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WHISTLEDESK_IMAP_ORGANISATION", raising=False)
    assert mailbox_poll_task.call() == "not configured"
    assert not Disclosure.objects.exists()
    assert imap_server.count("INBOX") == 1
    assert imap_server.count(DONE) == 0


def test_the_setting_is_read_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("WHISTLEDESK_IMAP_HOST", "imap.example")
    monkeypatch.setenv("WHISTLEDESK_IMAP_USER", "u")
    monkeypatch.setenv("WHISTLEDESK_IMAP_PASSWORD", "p")
    monkeypatch.setenv("WHISTLEDESK_IMAP_ORGANISATION", " brackenfield ")
    assert MailboxConfig.from_env().organisation == "brackenfield"
