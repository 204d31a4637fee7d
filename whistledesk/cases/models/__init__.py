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
from whistledesk.cases.models.deadlines import CaseReminder, FeedbackExtension
from whistledesk.cases.models.disclosure import (
    Channel,
    Disclosure,
    RiskLevel,
    Section43B,
    Status,
    Timeliness,
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
    "CaseReminder",
    "ConcernReason",
    "Channel",
    "ConflictOfInterest",
    "Consent",
    "Disclosure",
    "FeedbackExtension",
    "Referral",
    "ReferralBody",
    "RiskLevel",
    "SafeguardingConcern",
    "Section43B",
    "Status",
    "StatusChange",
    "Timeliness",
]
