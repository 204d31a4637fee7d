"""The directory of prescribed persons and the signposts recorded on cases.

The directory is loaded from a data file (`data/prescribed_persons.toml`, by
`load_prescribed_persons`); a body taken out of the file is kept, marked withdrawn, while a
case names it. A signpost records that staff told a whistleblower their concern is outside
this organisation's prescribed matters and which body to go to instead. The message itself
is either in the whistleblower's sealed inbox (`message`) or, for a case without one, kept
here (`text`) for staff to send by other means.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from whistledesk.casefiles.models import Message
from whistledesk.cases.models import Disclosure
from whistledesk.core.models import TimeStampedModel
from whistledesk.organisation.models import Organisation

# Limits defined once, used by the loader and the fields.
MAX_KEY = 60
MAX_NAME = 200
MAX_MATTERS = 1000
MAX_NOTE = 500
MAX_PHONE = 40
MAX_MESSAGE_TEMPLATE = 4000


class PrescribedPerson(TimeStampedModel):
    """One body of the Public Interest Disclosure (Prescribed Persons) Order."""

    key = models.SlugField(max_length=MAX_KEY, unique=True)
    name = models.CharField(max_length=MAX_NAME)
    matters = models.TextField(max_length=MAX_MATTERS)
    website = models.URLField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=MAX_PHONE, blank=True)
    note = models.TextField(max_length=MAX_NOTE, blank=True, help_text="For staff only.")
    position = models.PositiveIntegerField(default=0, help_text="Order in the file.")
    # Set when the body left the file while a case still named it; cleared if it returns.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_route(self) -> str:
        """The ways to reach the body, as one line for a message."""
        parts = [self.website]
        if self.email:
            parts.append(f"email {self.email}")
        if self.phone:
            parts.append(f"telephone {self.phone}")
        return "; ".join(parts)


class DirectorySource(models.Model):
    """Where the loaded directory came from (a single row): shown beside the directory."""

    last_checked = models.DateField()
    source = models.TextField()
    file_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"directory checked {self.last_checked:%d %b %Y}"


class SignpostMessage(TimeStampedModel):
    """The organisation's own wording of the signposting message (the default otherwise)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="signpost_message"
    )
    text = models.TextField(max_length=MAX_MESSAGE_TEMPLATE)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"signposting message of {self.organisation}"


class Delivery(models.TextChoices):
    """How the whistleblower gets the message.

    - INBOX: written into their follow-up inbox as a staff message.
    - STAFF: no inbox; staff send the text themselves (letter, phone, email).
    """

    INBOX = "inbox", "Sent to the whistleblower's follow-up inbox"
    STAFF = "staff", "Given to staff to send"


class Signpost(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="signposts")
    body = models.ForeignKey(PrescribedPerson, on_delete=models.PROTECT, related_name="signposts")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The text staff were given to send (STAFF delivery only). Kept in clear: it is built only
    # from the organisation's template, the case reference and the directory entry, never
    # from anything the whistleblower wrote.
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "body"], name="uniq_signpost_body")
        ]

    def __str__(self) -> str:
        return f"signpost on disclosure {self.disclosure_id}"
