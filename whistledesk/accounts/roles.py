"""Staff roles. A user may hold several; each grants only what its line below says.

- INTAKE_OFFICER: records disclosures from every channel; sees the register.
- CASEWORKER: handles assigned cases: assessment, actions, messages.
- SAFEGUARDING_LEAD: confirms that necessary safeguarding action has been taken.
- MANAGER: assigns cases, configures the organisation, publishes the annual report.
- CUSTODIAN: approves or refuses requests to see a whistleblower's identity.
- AUDITOR: read-only: the register, the reports and the audit log; no case content.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    INTAKE_OFFICER = "intake_officer", "Intake officer"
    CASEWORKER = "caseworker", "Caseworker"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    MANAGER = "manager", "Manager"
    CUSTODIAN = "custodian", "Identity custodian"
    AUDITOR = "auditor", "Auditor (read-only)"
