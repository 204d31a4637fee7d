"""Retention arithmetic: which policy applies, and the last day a case is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whistledesk.retention.models import RetentionPolicy
from whistledesk.retention.policy import anniversary, is_due
from whistledesk.retention.selectors import retention_preview

D = dt.date


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2020, 5, 10), 6, D(2026, 5, 10)),
        (D(2020, 12, 31), 1, D(2021, 12, 31)),
        (D(2020, 2, 29), 6, D(2026, 3, 1)),  # no 29 Feb in 2026: never short of 6 full years
        (D(2020, 2, 29), 4, D(2024, 2, 29)),
        (D(2026, 5, 10), -6, D(2020, 5, 10)),
    ],
)
def test_anniversary(day: dt.date, years: int, expected: dt.date) -> None:
    assert anniversary(day, years) == expected


def test_a_case_is_kept_on_its_last_day_and_due_the_day_after() -> None:
    assert not is_due(D(2026, 5, 10), D(2026, 5, 10))
    assert is_due(D(2026, 5, 10), D(2026, 5, 11))


def _due_refs(organisation: Any, today: dt.date) -> list[str]:
    preview = retention_preview(organisation=organisation, today=today)
    return [i.reference for i in preview.due]


def test_closure_plus_six_years_edges(
    organisation: Any, closed_case: Any, default_policy: Any
) -> None:
    case = closed_case(closed_on=D(2020, 5, 10))
    assert _due_refs(organisation, D(2026, 5, 10)) == []
    assert _due_refs(organisation, D(2026, 5, 11)) == [case.reference]
    item = retention_preview(organisation=organisation, today=D(2026, 5, 11)).due[0]
    assert (item.closed_on, item.kept_until, item.keep_years) == (
        D(2020, 5, 10),
        D(2026, 5, 10),
        6,
    )


def test_closed_late_in_the_evening_counts_by_the_local_date(
    organisation: Any, closed_case: Any, default_policy: Any
) -> None:
    # 23:30 in London on 10 May is 22:30 UTC; the local day is what staff saw.
    import zoneinfo

    case = closed_case(closed_on=D(2020, 5, 10))
    london = zoneinfo.ZoneInfo("Europe/London")
    case.closed_at = dt.datetime(2020, 5, 10, 23, 30, tzinfo=london)
    case.save(update_fields=["closed_at"])
    assert _due_refs(organisation, D(2026, 5, 11)) == [case.reference]


def test_unrecorded_closure_counts_from_the_date_received(
    organisation: Any, closed_case: Any, default_policy: Any
) -> None:
    case = closed_case(closed_on=None, received_on=D(2019, 3, 1))
    assert _due_refs(organisation, D(2025, 3, 1)) == []
    item = retention_preview(organisation=organisation, today=D(2025, 3, 2)).due[0]
    assert item.reference == case.reference
    assert item.closed_on is None


def test_outcome_policy_beats_the_default(
    organisation: Any, closed_case: Any, default_policy: Any, outcome_referred: Any
) -> None:
    RetentionPolicy.objects.create(
        organisation=organisation, outcome=outcome_referred, keep_years=10
    )
    referred = closed_case(outcome=outcome_referred)
    assert _due_refs(organisation, D(2027, 1, 1)) == []
    assert _due_refs(organisation, D(2030, 5, 11)) == [referred.reference]


def test_default_covers_outcomes_without_a_policy(
    organisation: Any, closed_case: Any, outcome_referred: Any, outcome_no_action: Any
) -> None:
    RetentionPolicy.objects.create(
        organisation=organisation, outcome=outcome_referred, keep_years=2
    )
    referred = closed_case(outcome=outcome_referred)
    other = closed_case(outcome=outcome_no_action)
    # No default: a case whose outcome has no policy is kept indefinitely.
    assert _due_refs(organisation, D(2040, 1, 1)) == [referred.reference]
    RetentionPolicy.objects.create(organisation=organisation, outcome=None, keep_years=6)
    assert set(_due_refs(organisation, D(2040, 1, 1))) == {referred.reference, other.reference}


def test_nothing_is_due_without_any_policy(organisation: Any, closed_case: Any) -> None:
    closed_case(closed_on=D(2000, 1, 1), received_on=D(2000, 1, 1))
    preview = retention_preview(organisation=organisation, today=D(2040, 1, 1))
    assert not preview.configured
    assert preview.due == []


def test_shorter_period_for_cases_closed_without_assessment(
    organisation: Any, closed_case: Any
) -> None:
    RetentionPolicy.objects.create(
        organisation=organisation, outcome=None, keep_years=6, unassessed_keep_years=2
    )
    unassessed = closed_case(qualifying=None)
    assessed = closed_case(qualifying=True)
    assert _due_refs(organisation, D(2022, 5, 11)) == [unassessed.reference]
    item = retention_preview(organisation=organisation, today=D(2022, 5, 11)).due[0]
    assert "without assessment" in item.rule.label
    assert set(_due_refs(organisation, D(2026, 5, 11))) == {
        unassessed.reference,
        assessed.reference,
    }


def test_a_longer_unassessed_period_never_extends_the_policy(
    organisation: Any, closed_case: Any
) -> None:
    RetentionPolicy.objects.create(
        organisation=organisation, outcome=None, keep_years=3, unassessed_keep_years=9
    )
    case = closed_case(qualifying=None)
    assert _due_refs(organisation, D(2023, 5, 11)) == [case.reference]


def test_one_default_and_one_policy_per_outcome(organisation: Any, outcome_referred: Any) -> None:
    from django.db import IntegrityError, transaction

    RetentionPolicy.objects.create(organisation=organisation, outcome=None)
    RetentionPolicy.objects.create(organisation=organisation, outcome=outcome_referred)
    for outcome in (None, outcome_referred):
        with pytest.raises(IntegrityError), transaction.atomic():
            RetentionPolicy.objects.create(organisation=organisation, outcome=outcome)
