"""The report's sentences, built from counts and configured or staff-written text only.

Every renderer (Markdown, HTML document, staff page) uses these, so the wording is written
once. A paragraph is a sequence of parts: generated plain text, which renderers escape, and
staff-written Markdown (examples, impact, functions), which they keep or render safely.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from whistledesk.reports.report import AnnualReport, ServiceRow

# The law requires these sections; an empty one is shown so staff notice before publishing.
NOT_WRITTEN = "[Not yet written: {what} must be added before this report is published.]"

# Names that read as a title and take "the" in a sentence ("the Care Quality Commission");
# a one-word or acronym name does not ("Ofsted received ...").
_THE_NOUNS = {
    "agency", "authority", "board", "bureau", "commission", "commissioner", "committee",
    "council", "department", "executive", "inspectorate", "institute", "office", "ombudsman",
    "panel", "regulator", "service", "society", "trust", "unit",
}  # fmt: skip


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


def with_article(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[0].lower() != "the" and words[-1].lower() in _THE_NOUNS:
        return f"the {name}"
    return name


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
    if not report.has_previous_figure:
        return "there is no figure for the year before to compare with"
    who = with_article(report.comparison_name)
    before = f"{report.previous_period_received:,}" if report.previous_period_received else "none"
    if report.received > report.previous_period_received:
        return f"this is an increase from the year before when {who} received {before}"
    if report.received < report.previous_period_received:
        return f"this is a decrease from the year before when {who} received {before}"
    return f"this is the same as the year before when {who} also received {before}"


def _statutory(report: AnnualReport) -> str:
    """Regulation 4: how many are qualifying, and on how many further action was taken."""
    q, fa = report.qualifying, report.further_action
    org = capitalised(with_article(report.organisation))
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
    if len(top) == 1:
        lead = "The largest category this year has been disclosures relating to"
        parts.append(Part(f"{lead} {top[0].phrase}."))
    else:
        parts.append(
            Part(
                f"The largest categories this year, with {top[0].count:,} each, have been "
                f"disclosures relating to {_join([r.phrase for r in top])}."
            )
        )
    parts += [Part(r.description) for r in top if r.description]
    rest = ranked[len(top) :]
    if len(top) == 1 and rest:
        second = rest[0]
        parts.append(Part(f"The second largest category related to {second.phrase}."))
        if second.description:
            parts.append(Part(second.description))
    return parts


def _no_further_action(report: AnnualReport) -> str:
    n = report.no_further_action
    if n == 1:
        return "There was 1 referral that ended in no action beyond advice."
    if n == 0:
        return "There were no referrals that ended in no action beyond advice."
    return f"There were {n:,} referrals that ended in no action beyond advice."


def activity_paragraphs(report: AnnualReport) -> list[Paragraph]:
    org = with_article(report.organisation)
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


def functions_part(report: AnnualReport) -> Part:
    if report.functions_text.strip():
        return Part(report.functions_text, markdown=True)
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
