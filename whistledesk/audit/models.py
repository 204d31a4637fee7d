"""Audit events, chained by hash. See docs/adr/0003-hash-chained-audit-log.md.

Each event's hash covers its own fields and the previous event's hash, so editing,
deleting or reordering any row breaks every link after it. Events hold no sensitive
content: who, what, which case (by id), when, with which roles, and non-identifying details.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce


def on_chain(org_id: int | None) -> models.Q:
    """Rows of one chain: an organisation's (by id), or the installation's own (None)."""
    return (
        models.Q(organisation__isnull=True) if org_id is None else models.Q(organisation_id=org_id)
    )


class AuditEvent(models.Model):
    """One event on its organisation's chain (ADR 0017, section "keys").

    `seq` is the event's position on its organisation's chain (1, 2, 3, ... per
    organisation, the number anchors and the verifier name); `id` only identifies the row.
    `organisation` is null only for installation-level events that concern no organisation
    (recorded with several organisations and none chosen): they form their own chain.
    """

    id = models.BigAutoField(primary_key=True)
    organisation = models.ForeignKey(
        "organisation.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seq = models.BigIntegerField()
    # 1: the original payload (ADR 0003); 2: the same plus the organisation (ADR 0017).
    chain_format = models.PositiveSmallIntegerField(default=2)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A snapshot, so the record still reads correctly if the account is renamed.
    actor_label = models.CharField(max_length=150)
    actor_roles = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    disclosure_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="audit_event_org_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_label}"


class AuditHead(models.Model):
    """One row per chain: its newest event's hash. Locked while appending to that chain, so
    the chain never forks and one organisation's appends never wait on another's."""

    id = models.BigAutoField(primary_key=True)
    organisation = models.OneToOneField(
        "organisation.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            # One head per chain, the installation's (no organisation) included: a plain
            # unique column lets several NULLs through.
            models.UniqueConstraint(
                Coalesce(models.F("organisation"), models.Value(0)), name="audit_one_head_per_chain"
            ),
        ]

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
