"""The sealed case file: everything sensitive about a disclosure, encrypted at rest.

Each disclosure has a random data key. Its documents, messages and attachments are secret
boxes under that key; the key itself is only stored sealed (`KeyGrant`) to the public key
of each staff member entitled to the case, to the organisation's recovery key and to the
whistleblower's own key pair (`SourceAccount`). No column here holds clear text of an
identity, a narrative, a message or a file name. See docs/adr/0002-encryption-at-rest.md.

The whistleblower's identity and contact details are kept apart (docs/adr/0004): they are
sealed to a second, per-disclosure *identity* key pair whose private half is granted only
to custodians, the recovery key and staff a custodian has approved. Holding the case key
does not open them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from whistledesk.cases.models import Disclosure


class RecoveryKey(models.Model):
    """An organisation's recovery key. Only the public half is ever on the server.

    Each organisation has its own (ADR 0017): a new case is sealed to its organisation's
    active key only. `organisation` is null only for a key made before any organisation
    existed (the migration gives existing keys to the first organisation).
    """

    organisation = models.ForeignKey(
        "organisation.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    public_key = models.BinaryField()
    fingerprint = models.CharField(max_length=40)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(active=True),
                name="one_active_recovery_key_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"recovery key {self.fingerprint}"


class RecipientKind(models.TextChoices):
    STAFF = "staff", "Member of staff"
    RECOVERY = "recovery", "Recovery key"
    SOURCE = "source", "Whistleblower"


class KeyScope(models.TextChoices):
    """What a grant opens.

    - CASE: the data key (documents, messages, files except identity and contact details).
    - IDENTITY: the private half of the disclosure's identity key pair (identity and
      contact documents only). Never given to the whistleblower's account.
    """

    CASE = "case", "Case file"
    IDENTITY = "identity", "Identity and contact details"


class KeyGrant(models.Model):
    """A disclosure's data key (or identity key), sealed to one recipient's public key."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=RecipientKind.choices)
    scope = models.CharField(max_length=10, choices=KeyScope.choices, default=KeyScope.CASE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recovery_key = models.ForeignKey(
        RecoveryKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "user", "scope"],
                condition=Q(user__isnull=False),
                name="grant_user_scope",
            ),
            models.UniqueConstraint(
                fields=["disclosure", "recovery_key"],
                condition=Q(recovery_key__isnull=False),
                name="grant_recovery",
            ),
            # Identity grants go to staff only: the whistleblower's account never holds
            # one, and the recovery key's copy lives on IdentityKey.
            models.CheckConstraint(
                condition=Q(scope="case") | Q(kind="staff"), name="grant_identity_staff_only"
            ),
            models.UniqueConstraint(
                fields=["disclosure"], condition=Q(kind="source"), name="grant_source"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="staff", user__isnull=False, recovery_key__isnull=True)
                    | Q(kind="recovery", user__isnull=True, recovery_key__isnull=False)
                    | Q(kind="source", user__isnull=True, recovery_key__isnull=True)
                ),
                name="grant_kind_matches_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.scope} grant on disclosure {self.disclosure_id}"


class IdentityKey(models.Model):
    """The public half of a disclosure's identity key pair, and its recovery copy.

    Anyone adding identity or contact details seals them to `public_key`; only holders of
    an IDENTITY grant, or of the recovery key (`recovery_sealed_key`, the private half
    sealed to it), can read them back.
    """

    disclosure = models.OneToOneField(Disclosure, on_delete=models.CASCADE, related_name="+")
    public_key = models.BinaryField()
    recovery_key = models.ForeignKey(
        RecoveryKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recovery_sealed_key = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"identity key of disclosure {self.disclosure_id}"


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", "Identity"
    CONTACT = "contact", "Contact details"
    NARRATIVE = "narrative", "What happened"
    ANSWERS = "answers", "Answers to the form"
    CALL_NOTES = "call_notes", "Call notes"
    EMAIL = "email", "Email"
    OTHER = "other", "Other"


# Kinds that are routed to the identity key, whoever writes them.
IDENTITY_KINDS = frozenset({DocumentKind.IDENTITY.value, DocumentKind.CONTACT.value})


class SealedDocument(models.Model):
    """One encrypted text of a case file. Later documents of a kind supersede earlier ones."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    # CASE: a secret box under the data key. IDENTITY: a sealed box to the IdentityKey.
    # Identity documents written before the identity key existed stay CASE (legacy).
    scope = models.CharField(max_length=10, choices=KeyScope.choices, default=KeyScope.CASE)
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["disclosure", "kind"], name="sealeddoc_kind")]

    def __str__(self) -> str:
        return f"{self.kind} document on disclosure {self.disclosure_id}"


class Direction(models.TextChoices):
    TO_SOURCE = "to_source", "To the whistleblower"
    FROM_SOURCE = "from_source", "From the whistleblower"


class Message(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=12, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ciphertext = models.BinaryField()
    read_by_source_at = models.DateTimeField(null=True, blank=True)
    read_by_staff_at = models.DateTimeField(null=True, blank=True)
    # Who opened it first (cases.replies: "read" is per case, for the whole office).
    read_by_staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["disclosure", "created_at"], name="message_thread"),
            # "Replies waiting": the few unread whistleblower messages, found by a range
            # on this index whatever the size of the register (cases.replies).
            models.Index(
                fields=["direction", "read_by_staff_at", "disclosure"], name="message_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.direction})"


class Attachment(models.Model):
    """A file, metadata-stripped then encrypted. Name and type are encrypted too.

    The bytes live in the database, not the file system: the submission's transaction then
    covers the file, so a committed disclosure is always whole (docs/adr/0002).
    """

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    meta_ciphertext = models.BinaryField()
    ciphertext = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class SourceAccount(models.Model):
    """The whistleblower's side: found by a peppered derivation of the receipt, never by it.

    The private key is wrapped with a key derived from the receipt, so only the person
    holding the receipt can read the case's messages.
    """

    disclosure = models.OneToOneField(
        Disclosure, on_delete=models.CASCADE, related_name="source_account"
    )
    receipt_lookup = models.CharField(max_length=64, unique=True)
    public_key = models.BinaryField()
    encrypted_private_key = models.BinaryField()
    key_salt = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"source account for disclosure {self.disclosure_id}"


class SourceEmail(models.Model):
    """The address a whistleblower gave for "you have a new message" emails (docs/adr/0011).

    Never in clear, and no staff key opens it: `sealed_for_sending` is a sealed box to the
    sending key (WHISTLEDESK_SOURCE_EMAIL_KEY, kept out of the database: only the worker's
    sending path opens it); `sealed_for_source` is sealed to the whistleblower's own key
    (`SourceAccount.public_key`), so they can read back what they typed with their receipt.
    Deleted when they remove it, and with the case's content (retention).
    """

    disclosure = models.OneToOneField(Disclosure, on_delete=models.CASCADE, related_name="+")
    sealed_for_sending = models.BinaryField()
    sending_key_fingerprint = models.CharField(max_length=40)
    sealed_for_source = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"notice address for disclosure {self.disclosure_id}"
