"""The register (`Disclosure`) and the casework records around it."""

from whistledesk.cases.models.casework import (
    ActionKind,
    BodyKind,
    CaseAction,
    ConcernReason,
    ConflictOfInterest,
    Consent,
    Referral,
    ReferralBody,
    SafeguardingConcern,
    StatusChange,
)
from whistledesk.cases.models.disclosure import (
    Channel,
    Disclosure,
    RiskLevel,
    Section43B,
    Status,
)

__all__ = [
    "ActionKind",
    "BodyKind",
    "CaseAction",
    "ConcernReason",
    "Channel",
    "ConflictOfInterest",
    "Consent",
    "Disclosure",
    "Referral",
    "ReferralBody",
    "RiskLevel",
    "SafeguardingConcern",
    "Section43B",
    "Status",
    "StatusChange",
]
