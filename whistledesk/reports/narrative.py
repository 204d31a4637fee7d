"""The report's sentences, built from counts and configured or staff-written text only.

Every renderer (Markdown, HTML document, staff page) uses these, so the wording is written
once. Sentences that differ between prescribed persons (the comparison with the year before,
the largest categories, the disclosures taken no further) come from the organisation's
templates (organisation/wording.py); the statutory sentence keeps the Regulations' terms.
A paragraph is a sequence of parts: generated plain text, which renderers escape, and
staff-written Markdown (examples, impact, functions), which they keep or render safely.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from whistledesk.organisation import wording
from whistledesk.reports.report import AnnualReport, ServiceRow, year_label

# The law requires these sections; an empty one is shown so staff notice before publishing.
NOT_WRITTEN = "[Not yet written: {what} must be added before this report is published.]"


# Spelt out rather than strftime("%B"), which follows the process locale.
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Part:
    text: str
    markdown: bool = False  # staff-written Markdown rather than generated plain text


Paragraph = tuple[Part, ...]


def sentence_name(report: AnnualReport) -> str:
    """The organisation inside a sentence: configured ('the Care Quality Commission')."""
    return report.organisation_in_sentence or report.organisation


def _say(report: AnnualReport, key: str, **values: str) -> str:
    """The organisation's template `key`, filled with `values` and the common placeholders."""
    common = {
        "organisation": sentence_name(report),
        "short_name": report.comparison_name or sentence_name(report),
        "year": report.year_label,
        "noun": report.disclosure_noun,
    }
    return wording.fill(key, report.wording.get(key, ""), common | values)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def long_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def period_text(report: AnnualReport) -> str:
    return f"{long_date(report.period_start)} to {long_date(report.period_end)}"


def breakdown_heading(report: AnnualReport) -> str:
    return f"Breakdown of disclosures received from {period_text(report)}"


def activity_heading(report: AnnualReport) -> str:
    return f"Activity in {report.year_label}"


def _count(n: int, noun: str) -> str:
    """'26 whistle-blowing concerns', '1 whistle-blowing concern', 'no ...'."""
    if n == 0:
        return f"no {noun}"
    if n == 1 and noun.endswith("s"):
        return f"1 {noun[:-1]}"
    return f"{n:,} {noun}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _comparison(report: AnnualReport) -> str:
    now, before = report.received, report.previous_period_received
    if not report.has_previous_figure:
        key = "comparison_none"
    elif now > before:
        key = "comparison_increase"
    elif now < before:
        key = "comparison_decrease"
    else:
        key = "comparison_same"
    return _say(
        report,
        key,
        count=f"{now:,}",
        previous_count=f"{before:,}" if before else "none",
        previous_year=year_label(report.year - 1, period_start=report.period_start),
    )


def _statutory(report: AnnualReport) -> str:
    """Regulation 4: how many are qualifying, and on how many further action was taken."""
    q, fa = report.qualifying, report.further_action
    org = capitalised(sentence_name(report))
    if q == 0:
        return (
            f"{org} does not believe that any of them were qualifying disclosures within "
            "the matters for which it is prescribed."
        )
    one = q == 1
    if q == report.received:
        which = (
            "it was a qualifying disclosure" if one else "all of them were qualifying disclosures"
        )
    else:
        which = f"{q:,} of them " + (
            "was a qualifying disclosure" if one else "were qualifying disclosures"
        )
    them = "it" if one else "all of them"
    if fa == 0:
        action = "took no further action on " + ("it" if one else "any of them")
    elif fa == q:
        action = f"took further action on {them}"
    else:
        action = f"took further action on {fa:,} of them"
    sentence = (
        f"{org} reasonably believes that {which} within the matters for which it is "
        f"prescribed, and {action}."
    )
    if report.awaiting_decision:
        verb = "was" if report.awaiting_decision == 1 else "were"
        sentence += (
            f" At the end of the period {report.awaiting_decision:,} {verb} awaiting a decision."
        )
    return sentence


def ranked_services(report: AnnualReport) -> list[ServiceRow]:
    """Services with disclosures, largest first; ties keep the configured order."""
    return sorted((r for r in report.by_service if r.count), key=lambda r: -r.count)


def _categories(report: AnnualReport) -> list[Part]:
    ranked = ranked_services(report)
    if not ranked:
        return []
    top = [r for r in ranked if r.count == ranked[0].count]
    parts: list[Part] = []
    count = f"{top[0].count:,}"
    if len(top) == 1:
        lead = _say(report, "largest_category", category=top[0].phrase, count=count)
    else:
        phrases = _join([r.phrase for r in top])
        lead = _say(report, "largest_categories_tied", categories=phrases, count=count)
    parts.append(Part(capitalised(lead)))
    parts += [Part(r.description) for r in top if r.description]
    rest = ranked[len(top) :]
    # A suppressed category might be the second largest: name none rather than a wrong one.
    if len(top) == 1 and rest and not any(r.suppressed for r in report.by_service):
        second = rest[0]
        sentence = _say(
            report, "second_largest_category", category=second.phrase, count=f"{second.count:,}"
        )
        parts.append(Part(capitalised(sentence)))
        if second.description:
            parts.append(Part(second.description))
    return parts


def _no_further_action(report: AnnualReport) -> str:
    n = report.no_further_action
    key = {0: "no_further_action_none", 1: "no_further_action_one"}.get(n, "no_further_action")
    return capitalised(_say(report, key, count=f"{n:,}"))


def activity_paragraphs(report: AnnualReport) -> list[Paragraph]:
    org = sentence_name(report)
    paragraphs: list[Paragraph] = [
        (
            Part(
                f"During {report.year_label} {org} received "
                f"{_count(report.received, report.disclosure_noun)}; {_comparison(report)}."
            ),
        )
    ]
    if report.received:
        paragraphs.append((Part(_statutory(report)),))
    categories = _categories(report)
    if report.further_action_example:
        categories.append(Part(report.further_action_example, markdown=True))
    if categories:
        paragraphs.append(tuple(categories))
    if report.qualifying:
        nfa = [Part(_no_further_action(report))]
        if report.no_further_action_example:
            nfa.append(Part(report.no_further_action_example, markdown=True))
        paragraphs.append(tuple(nfa))
    return paragraphs


YEAR_PLACEHOLDER = "{year}"


def functions_part(report: AnnualReport) -> Part:
    if report.functions_text.strip():
        # "{year}" in the organisation's text is the report's own year ("2022/23"), so a
        # sentence such as "in place throughout {year}" is true of every year's report.
        return Part(
            report.functions_text.replace(YEAR_PLACEHOLDER, report.year_label), markdown=True
        )
    # Our own text, kept unescaped so the Markdown reads "[Not yet written: ...]".
    return Part(
        NOT_WRITTEN.format(what="an explanation of the organisation's functions"), markdown=True
    )


def impact_part(report: AnnualReport) -> Part:
    if report.impact_text.strip():
        return Part(report.impact_text, markdown=True)
    return Part(
        NOT_WRITTEN.format(
            what=f"how the {report.year_label} disclosures affected the organisation's functions"
        ),
        markdown=True,
    )
