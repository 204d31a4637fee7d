"""Statutory clocks: 7 days to acknowledge, 3 months to give feedback (EU 2019/1937 Art 9)."""

from __future__ import annotations

import calendar
import datetime as dt

ACKNOWLEDGE_WITHIN_DAYS = 7
FEEDBACK_WITHIN_MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def acknowledgement_due(received_on: dt.date) -> dt.date:
    return received_on + dt.timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)


def feedback_due(acknowledged_on: dt.date) -> dt.date:
    return add_months(acknowledged_on, FEEDBACK_WITHIN_MONTHS)
