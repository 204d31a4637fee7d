from __future__ import annotations

import datetime as dt

from whistledesk.cases.clock import (
    acknowledgement_due,
    add_months,
    feedback_due,
    feedback_latest,
)


def test_feedback_is_due_three_months_after_acknowledgement() -> None:
    assert feedback_due(dt.date(2023, 1, 15)) == dt.date(2023, 4, 15)
    assert feedback_due(dt.date(2023, 11, 30)) == dt.date(2024, 2, 29)  # clamped, leap year


def test_add_months_crosses_years() -> None:
    assert add_months(dt.date(2022, 12, 31), 2) == dt.date(2023, 2, 28)


def test_acknowledgement_is_due_seven_days_after_receipt() -> None:
    assert acknowledgement_due(dt.date(2023, 3, 28)) == dt.date(2023, 4, 4)


def test_a_case_received_at_the_end_of_january() -> None:
    # Received 31 Jan 2026: acknowledge by 7 Feb; acknowledged 5 Feb: feedback by 5 May
    assert acknowledgement_due(dt.date(2026, 1, 31)) == dt.date(2026, 2, 7)
    assert feedback_due(dt.date(2026, 2, 5), dt.date(2026, 1, 31)) == dt.date(2026, 5, 5)
    assert feedback_latest(dt.date(2026, 1, 31), dt.date(2026, 2, 5)) == dt.date(2026, 8, 5)


def test_a_late_acknowledgement_buys_no_time() -> None:
    # Received 31 Jan 2026, acknowledged only on 1 Mar: the 3 months run from 7 Feb
    assert feedback_due(dt.date(2026, 3, 1), dt.date(2026, 1, 31)) == dt.date(2026, 5, 7)
    assert feedback_latest(dt.date(2026, 1, 31), dt.date(2026, 3, 1)) == dt.date(2026, 8, 7)


def test_month_ends_clamp_the_feedback_and_extension_dates() -> None:
    # Acknowledged 30 Nov 2025: feedback by 28 Feb 2026, extended at most to 30 May 2026
    assert feedback_due(dt.date(2025, 11, 30), dt.date(2025, 11, 24)) == dt.date(2026, 2, 28)
    assert feedback_latest(dt.date(2025, 11, 24), dt.date(2025, 11, 30)) == dt.date(2026, 5, 30)
    # Acknowledged 31 Aug 2026: feedback by 30 Nov 2026, at most 28 Feb 2027
    assert feedback_due(dt.date(2026, 8, 31), dt.date(2026, 8, 28)) == dt.date(2026, 11, 30)
    assert feedback_latest(dt.date(2026, 8, 28), dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)
    # Leap year: acknowledged 31 Aug 2027, at most 29 Feb 2028
    assert feedback_latest(dt.date(2027, 8, 30), dt.date(2027, 8, 31)) == dt.date(2028, 2, 29)
