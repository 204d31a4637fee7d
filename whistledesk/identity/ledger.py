"""The consent ledger: who was told the whistleblower's identity, what, when and why.

Written here: the whistleblower's own consent given on the web form (`consent_from_web_form`,
called by `casefiles.services.casefile_create` inside the submission's transaction).
Read (selectors.consent_ledger) together with what casework already records: consents
staff record (cases.Consent), referrals that shared the identity with an outside body
(cases.Referral.identity_shared, which the database allows only with a consent), and
identity access approved or revoked inside the office (IdentityAccessRequest).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from whistledesk.audit.services import audit_record
from whistledesk.cases.models import Disclosure
from whistledesk.identity.models import WebFormConsent

OPEN_CHOICE = "open"


def _web_form_choice(documents: Mapping[str, str]) -> str | None:
    """The identity choice the web form seals with the name; None for any other writer."""
    try:
        value = json.loads(documents.get("identity") or "")
    except ValueError:
        return None  # staff-typed identity is plain text
    return value.get("choice") if isinstance(value, dict) else None


def consent_from_web_form(
    *, actor: Any, disclosure: Disclosure, documents: Mapping[str, str]
) -> WebFormConsent | None:
    """Record the web form's "open" choice as consent. Runs in the caller's transaction."""
    if _web_form_choice(documents) != OPEN_CHOICE:
        return None
    consent, created = WebFormConsent.objects.get_or_create(disclosure=disclosure)
    if created:
        audit_record(
            actor=actor,
            action="consent.given_on_web_form",
            disclosure_id=disclosure.pk,
            object_type="web_form_consent",
            object_id=consent.pk,
        )
    return consent
