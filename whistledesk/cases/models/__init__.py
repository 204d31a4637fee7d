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
from whistledesk.cases.models.followup import (
    CallNotesReview,
    FollowupKind,
    FollowupSent,
    FollowupVia,
    ReviewStatus,
)

__all__ = [
    "ActionKind",
    "CallNotesReview",
    "FollowupKind",
    "FollowupSent",
    "FollowupVia",
    "ReviewStatus",
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
