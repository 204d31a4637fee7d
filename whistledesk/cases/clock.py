"""Statutory clocks (EU 2019/1937 Art 9(1)(b), 9(1)(f), 11(2)(b) and 11(2)(d)).

- Acknowledge within 7 days of receipt, whatever the channel.
- Feedback within 3 months of the acknowledgement. A late acknowledgement buys no time: the
  3 months run from the acknowledgement or from the end of the 7-day period, whichever is
  earlier (Art 9(1)(f) also counts from the end of that period when none was sent).
- In duly justified cases (external channels, Art 11(2)(d)) the feedback deadline may be
  extended to at most 6 months from the same starting day (`feedback_latest`).
"""

from __future__ import annotations

import calendar
import datetime as dt

ACKNOWLEDGE_WITHIN_DAYS = 7
FEEDBACK_WITHIN_MONTHS = 3
FEEDBACK_EXTENDED_MONTHS = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def acknowledgement_due(received_on: dt.date) -> dt.date:
    return received_on + dt.timedelta(days=ACKNOWLEDGE_WITHIN_DAYS)


def feedback_start(received_on: dt.date, acknowledged_on: dt.date) -> dt.date:
    """The day the feedback clock starts: the acknowledgement, or the end of the 7 days."""
    return min(acknowledged_on, acknowledgement_due(received_on))


def feedback_due(acknowledged_on: dt.date, received_on: dt.date | None = None) -> dt.date:
    start = acknowledged_on if received_on is None else feedback_start(received_on, acknowledged_on)
    return add_months(start, FEEDBACK_WITHIN_MONTHS)


def feedback_latest(received_on: dt.date, acknowledged_on: dt.date) -> dt.date:
    """The furthest a justified extension may move the feedback deadline."""
    return add_months(feedback_start(received_on, acknowledged_on), FEEDBACK_EXTENDED_MONTHS)
