"""Dates and times as GOV.UK writes them: "30 November 2026", "30 November 2026 at 9:52am".

The GOV.UK style guide: no leading zero, lower-case "am"/"pm" with no space, "9am" not
"9:00am", "midday" and "midnight" rather than 12pm and 12am. Times are shown in the
installation's time zone (TIME_ZONE), whatever the database holds. Month names and the
time words follow the active language (Welsh public pages: "30 Tachwedd 2026 am 9:52yb").
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import gettext, pgettext

register = template.Library()


def govuk_time(value: dt.time | dt.datetime) -> str:
    # Translators: the time words follow "{date} at" (Welsh "am", which mutates them).
    if value.hour == 12 and value.minute == 0:
        return pgettext("time of day", "midday")
    if value.hour == 0 and value.minute == 0:
        return pgettext("time of day", "midnight")
    hour = value.hour % 12 or 12
    suffix = pgettext("time of day", "am") if value.hour < 12 else pgettext("time of day", "pm")
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def govuk_date(value: dt.date | dt.datetime | None) -> str:
    """ "30 November 2026"; "" for no date."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return dateformat.format(value, "j F Y")


@register.filter
def govuk_datetime(value: dt.datetime | None) -> str:
    """ "30 November 2026 at 9:52am", in local time; "" for no time."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return gettext("{date} at {time}").format(date=govuk_date(local), time=govuk_time(local))
