"""The mailbox's settings, read from the environment (docs/operations.md, "Email intake").

WHISTLEDESK_IMAP_HOST       the server (no host: the mailbox is not polled)
WHISTLEDESK_IMAP_PORT       993 (IMAP over TLS; plain IMAP is not offered)
WHISTLEDESK_IMAP_USER, WHISTLEDESK_IMAP_PASSWORD
WHISTLEDESK_IMAP_FOLDER     the folder read (INBOX)
WHISTLEDESK_IMAP_DONE_FOLDER  where an email goes once it is in the register (Whistledesk-done)
WHISTLEDESK_IMAP_CA_FILE    a CA bundle for a private CA (default: the system's)
WHISTLEDESK_IMAP_POLL_SECONDS  how often the worker looks (60)
WHISTLEDESK_IMAP_ORGANISATION  the slug of the organisation the mailbox feeds: every email
                            becomes an intake of that organisation. Needed when the
                            installation has several (ADR 0017); with one, that one.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from whistledesk.organisation.models import Organisation

ORGANISATION_VARIABLE = "WHISTLEDESK_IMAP_ORGANISATION"


def mailbox_configured() -> bool:
    return bool(os.environ.get("WHISTLEDESK_IMAP_HOST", "").strip())


def mailbox_poll_every() -> dt.timedelta:
    return dt.timedelta(seconds=float(os.environ.get("WHISTLEDESK_IMAP_POLL_SECONDS", "60")))


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    done_folder: str = "Whistledesk-done"
    ca_file: str = ""
    timeout: float = 60.0
    # At most this many emails per poll: a flood is taken in over several polls.
    batch: int = 50
    # The slug of the organisation the mailbox feeds ("": the only one).
    organisation: str = ""

    @classmethod
    def from_env(cls) -> MailboxConfig:
        env = os.environ
        host = env.get("WHISTLEDESK_IMAP_HOST", "").strip()
        user = env.get("WHISTLEDESK_IMAP_USER", "")
        password = env.get("WHISTLEDESK_IMAP_PASSWORD", "")
        if not host or not user or not password:
            raise ImproperlyConfigured(
                "The mailbox needs WHISTLEDESK_IMAP_HOST, WHISTLEDESK_IMAP_USER and "
                "WHISTLEDESK_IMAP_PASSWORD."
            )
        return cls(
            host=host,
            port=int(env.get("WHISTLEDESK_IMAP_PORT", "993")),
            user=user,
            password=password,
            folder=env.get("WHISTLEDESK_IMAP_FOLDER", "INBOX") or "INBOX",
            done_folder=env.get("WHISTLEDESK_IMAP_DONE_FOLDER", "Whistledesk-done")
            or "Whistledesk-done",
            ca_file=env.get("WHISTLEDESK_IMAP_CA_FILE", ""),
            organisation=env.get(ORGANISATION_VARIABLE, "").strip(),
        )


def mailbox_organisation(config: MailboxConfig) -> Organisation:
    """The organisation the mailbox feeds. ImproperlyConfigured, naming the variable to set,
    when it names none or the installation has several and it names none of them."""
    from whistledesk.organisation import tenancy
    from whistledesk.organisation.models import Organisation

    known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
    if config.organisation:
        org = tenancy.by_slug(config.organisation)
        if org is None:
            raise ImproperlyConfigured(
                f"{ORGANISATION_VARIABLE} is {config.organisation!r}, which is not the slug of "
                "any organisation" + (f" (there are: {known})." if known else ".")
            )
        return org
    org = tenancy.sole_organisation()
    if org is None:
        if known:
            raise ImproperlyConfigured(
                f"This installation has several organisations ({known}): set "
                f"{ORGANISATION_VARIABLE} to the slug of the one the mailbox feeds."
            )
        raise ImproperlyConfigured(
            "No organisation is configured for the mailbox to feed. Run `whistledesk "
            "configure_organisation FILE.toml` first."
        )
    return org
