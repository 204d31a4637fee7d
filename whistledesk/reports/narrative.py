"""The report's sentences, built from counts and configured or staff-written text only.

Every renderer (Markdown, HTML document, staff page) uses these, so the wording is written
once. Sentences that differ between prescribed persons (the comparison with the year before,
the largest categories, the disclosures taken no further) come from the organisation's
templates (organisation/wording.py); the statutory sentence keeps the Regulations' terms.
A paragraph is a sequence of parts: generated plain text, which renderers escape, and
staff-written Markdown (examples, impact, functions), which they keep or render safely.

Every fixed sentence is marked for translation, whole (named placeholders, no sentence built
from fragments a translator cannot see): a renderer runs under the report's language
(`AnnualReport.language`), and the Welsh is in the catalogue whistledesk/locale/cy
(docs/adr/0018-texts.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from whistledesk.organisation import wording
from whistledesk.reports.report import AnnualReport, ServiceRow, year_label


# The law requires these sections; an empty one is shown so staff notice before publishing.
def not_written(what: str) -> str:
    return _("[Not yet written: %(what)s must be added before this report is published.]") % {
        "what": what
    }


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
_MONTHS_CY = [
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
]


def _welsh() -> bool:
    return (translation.get_language() or "").startswith("cy")


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
    months = _MONTHS_CY if _welsh() else _MONTHS
    return f"{day.day} {months[day.month - 1]} {day.year}"


def period_text(report: AnnualReport) -> str:
    return _("%(start)s to %(end)s") % {
        "start": long_date(report.period_start),
        "end": long_date(report.period_end),
    }


def breakdown_heading(report: AnnualReport) -> str:
    return _("Breakdown of disclosures received from %(period)s") % {"period": period_text(report)}


def activity_heading(report: AnnualReport) -> str:
    return _("Activity in %(year)s") % {"year": report.year_label}


def _count(n: int, noun: str) -> str:
    """'26 whistle-blowing concerns', '1 whistle-blowing concern', 'no ...'."""
    if n == 0:
        return _("no %(noun)s") % {"noun": noun}
    # English drops the plural's s; a Welsh noun ("o bryderon ...") reads the same for 1.
    if n == 1 and noun.endswith("s") and not _welsh():
        return f"1 {noun[:-1]}"
    return f"{n:,} {noun}"


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


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
        previous_count=f"{before:,}" if before else _("none"),
        previous_year=year_label(report.year - 1, period_start=report.period_start),
    )


def _statutory(report: AnnualReport) -> str:
    """Regulation 4: how many are qualifying, and on how many further action was taken."""
    q, fa = report.qualifying, report.further_action
    org = capitalised(sentence_name(report))
    if q == 0:
        return _(
            "%(organisation)s does not believe that any of them were qualifying disclosures "
            "within the matters for which it is prescribed."
        ) % {"organisation": org}
    one = q == 1
    if q == report.received:
        which = (
            _("it was a qualifying disclosure")
            if one
            else _("all of them were qualifying disclosures")
        )
    elif one:
        which = _("%(count)s of them was a qualifying disclosure") % {"count": f"{q:,}"}
    else:
        which = _("%(count)s of them were qualifying disclosures") % {"count": f"{q:,}"}
    if fa == 0:
        action = (
            _("and took no further action on it")
            if one
            else _("and took no further action on any of them")
        )
    elif fa == q:
        action = (
            _("and took further action on it")
            if one
            else _("and took further action on all of them")
        )
    else:
        action = _("and took further action on %(count)s of them") % {"count": f"{fa:,}"}
    sentence = _(
        "%(organisation)s reasonably believes that %(which)s within the matters for which "
        "it is prescribed, %(action)s."
    ) % {"organisation": org, "which": which, "action": action}
    if report.awaiting_decision:
        n = f"{report.awaiting_decision:,}"
        if report.awaiting_decision == 1:
            sentence += " " + _("At the end of the period %(count)s was awaiting a decision.") % {
                "count": n
            }
        else:
            sentence += " " + _("At the end of the period %(count)s were awaiting a decision.") % {
                "count": n
            }
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
                _("During %(year)s %(organisation)s received %(count)s; %(comparison)s.")
                % {
                    "year": report.year_label,
                    "organisation": org,
                    "count": _count(report.received, report.disclosure_noun),
                    "comparison": _comparison(report),
                }
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
    return Part(not_written(_("an explanation of the organisation's functions")), markdown=True)


def impact_part(report: AnnualReport) -> Part:
    if report.impact_text.strip():
        return Part(report.impact_text, markdown=True)
    return Part(
        not_written(
            _("how the %(year)s disclosures affected the organisation's functions")
            % {"year": report.year_label}
        ),
        markdown=True,
    )
