"""The public submission: one transaction that records the disclosure and seals its case file.

The receipt is returned only after the transaction has committed, so nobody is ever given
a receipt for a disclosure that was not stored; and if anything fails, nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from whistledesk.casefiles.attachments import UploadedAttachment
from whistledesk.casefiles.services import casefile_create
from whistledesk.cases.models import Channel
from whistledesk.cases.services import disclosure_record
from whistledesk.intake.answers import sealed_documents, service_for
from whistledesk.intake.draft import FileContent
from whistledesk.organisation.selectors import organisation_get

# Who the audit log names for a public submission: never a person, never an address.
PUBLIC_ACTOR = "public"


@dataclass(frozen=True)
class Submission:
    reference: str
    receipt: str

    def __repr__(self) -> str:  # the receipt must never reach a log through a repr
        return f"Submission(reference={self.reference!r}, receipt=<hidden>)"


def submission_create(
    *, answers: dict[str, Any], attachments: Sequence[FileContent] = ()
) -> Submission:
    organisation = organisation_get()
    with transaction.atomic():
        disclosure = disclosure_record(
            actor=PUBLIC_ACTOR,
            organisation=organisation,
            received_on=timezone.localdate(),
            channel=Channel.WEB,
            service=service_for(answers, organisation=organisation),
            qualifying=None,
            anonymous=answers.get("identity", "anonymous") == "anonymous",
            urgent=answers.get("risk") == "yes",
            summary="",  # staff write the non-identifying summary after reading it
        )
        receipt = casefile_create(
            actor=PUBLIC_ACTOR,
            disclosure=disclosure,
            documents=sealed_documents(answers, organisation=organisation),
            attachments=[UploadedAttachment(filename=f.name, data=f.data) for f in attachments],
            with_source=True,
        )
    # Outside the block: the disclosure is committed before anyone sees the receipt.
    if not receipt:
        raise RuntimeError("case file created without a receipt")
    return Submission(reference=disclosure.reference, receipt=receipt)
