from __future__ import annotations

import datetime as dt

from whistledesk.cases.clock import acknowledgement_due, add_months, feedback_due


def test_feedback_is_due_three_months_after_acknowledgement() -> None:
    assert feedback_due(dt.date(2023, 1, 15)) == dt.date(2023, 4, 15)
    assert feedback_due(dt.date(2023, 11, 30)) == dt.date(2024, 2, 29)  # clamped, leap year


def test_add_months_crosses_years() -> None:
    assert add_months(dt.date(2022, 12, 31), 2) == dt.date(2023, 2, 28)


def test_acknowledgement_is_due_seven_days_after_receipt() -> None:
    assert acknowledgement_due(dt.date(2023, 3, 28)) == dt.date(2023, 4, 4)
