"""Retention arithmetic: which policy applies to a closed case and until when it is kept.

A case closed on day D under a policy of N years is kept up to and including the Nth
anniversary of D, and becomes due for destruction the day after. A closure on 29 February
has its anniversary on 1 March in a year without one (never earlier than N full years).

Cases imported with an outcome have no recorded closure date (they were decided
elsewhere); their period is counted from the date received, the only date known, and the
preview says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from whistledesk.cases.models import Disclosure
from whistledesk.retention.models import RetentionPolicy


def anniversary(day: dt.date, years: int) -> dt.date:
    """`day` moved on by whole `years`; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


@dataclass(frozen=True)
class Rule:
    """The policy that applies to one case, and the period it gives."""

    policy: RetentionPolicy
    keep_years: int
    unassessed: bool

    @property
    def label(self) -> str:
        if self.policy.outcome_id is None:
            base = "Default policy"
        else:
            base = f"Outcome policy ({self.policy.outcome})"
        if self.unassessed:
            return f"{base}, closed without assessment: {self.keep_years} years"
        return f"{base}: {self.keep_years} years"


class Policies:
    """The organisation's policies, looked up by outcome (one query, then in memory)."""

    def __init__(self, policies: Iterable[RetentionPolicy]) -> None:
        self.by_outcome: dict[int, RetentionPolicy] = {}
        self.default: RetentionPolicy | None = None
        for p in policies:
            if p.outcome_id is None:
                self.default = p
            else:
                self.by_outcome[p.outcome_id] = p

    @classmethod
    def of(cls, organisation_id: int) -> Policies:
        return cls(
            RetentionPolicy.objects.filter(organisation_id=organisation_id).select_related(
                "outcome"
            )
        )

    def __bool__(self) -> bool:
        return self.default is not None or bool(self.by_outcome)

    @property
    def shortest_years(self) -> int:
        years = [
            min(p.keep_years, p.unassessed_keep_years or p.keep_years)
            for p in [*self.by_outcome.values(), *([self.default] if self.default else [])]
        ]
        return min(years)

    def rule_for(self, disclosure: Disclosure) -> Rule | None:
        """None when no policy covers the case's outcome and there is no default."""
        policy = self.by_outcome.get(disclosure.outcome_id or 0, self.default)
        if policy is None:
            return None
        never_assessed = disclosure.qualifying is None and disclosure.assessed_at is None
        short = policy.unassessed_keep_years
        if never_assessed and short is not None and short < policy.keep_years:
            return Rule(policy, short, unassessed=True)
        return Rule(policy, policy.keep_years, unassessed=False)


def closed_on(disclosure: Disclosure) -> dt.date | None:
    """The local date the case closed, or None when it was never recorded (imported)."""
    if disclosure.closed_at is None:
        return None
    return timezone.localdate(disclosure.closed_at)


def kept_until(disclosure: Disclosure, keep_years: int) -> dt.date:
    """The last day the case's content is kept."""
    start = closed_on(disclosure) or disclosure.received_on
    return anniversary(start, keep_years)


def is_due(until: dt.date, today: dt.date) -> bool:
    return today > until
