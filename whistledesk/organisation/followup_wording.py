"""The organisation's follow-up messages to whistleblowers: acknowledgement, feedback, outcome.

EU Directive 2019/1937 Art 11(2) asks for an acknowledgement and feedback whatever the
channel. Each organisation words its own (configure_organisation's `[followup]` table, the
admin, or the managers' page at /staff/follow-up-wording/); these defaults are shipped.
Templates are plain text with named placeholders, checked and filled like the report's
sentences (organisation/wording.py: only the listed names, never `str.format`):

- ``{organisation}``: the organisation as written in a sentence;
- ``{reference}``: the disclosure's reference, e.g. "WD-2026-0042";
- ``{received_on}``: the day it was received, "3 November 2026";
- ``{feedback_due}``: the day feedback is due, "3 February 2027" ("soon" when not yet set);
- ``{outcome}`` (outcome message only): the outcome in the words for whistleblowers
  (`Outcome.whistleblower_text`, or its label when that is blank).

Staff see the filled-in text and may change it before it is sent.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from whistledesk.organisation.wording import placeholder_problems

MAX_LENGTH = 4000
_COMMON = frozenset({"organisation", "reference", "received_on", "feedback_due"})


@dataclass(frozen=True)
class FollowupTemplate:
    kind: str
    label: str
    default: str
    placeholders: frozenset[str]


TEMPLATES: tuple[FollowupTemplate, ...] = (
    FollowupTemplate(
        "acknowledgement",
        "Acknowledgement",
        "We have received your disclosure {reference} and a member of our staff is looking "
        "at it. We will tell you what we are doing about it by {feedback_due}. We may get in "
        "touch with questions. If you have a receipt, please check your follow-up inbox with it.",
        _COMMON,
    ),
    FollowupTemplate(
        "feedback",
        "Feedback",
        "This is an update on your disclosure {reference}, which we received on "
        "{received_on}.\n\n"
        "What we have done so far: \n\n"
        "We will tell you when we have finished our work. Thank you for telling us.",
        _COMMON,
    ),
    FollowupTemplate(
        "outcome",
        "Outcome",
        "We have finished our work on your disclosure {reference}, which we received on "
        "{received_on}.\n\n"
        "What we did: {outcome}\n\n"
        "Thank you for telling us. If you have questions, contact {organisation} and give "
        "the reference {reference}.",
        _COMMON | {"outcome"},
    ),
)
BY_KIND: dict[str, FollowupTemplate] = {t.kind: t for t in TEMPLATES}
DEFAULTS: dict[str, str] = {t.kind: t.default for t in TEMPLATES}


def template_problems(kind: str, text: str) -> list[str]:
    """Why `text` cannot be the follow-up template `kind` (empty when it can)."""
    problems = placeholder_problems(text, BY_KIND[kind].placeholders)
    if not text.strip():
        problems.append("write the message (it cannot be empty)")
    if len(text) > MAX_LENGTH:
        problems.append(f"keep it under {MAX_LENGTH:,} characters")
    return problems


@deconstructible
class FollowupTemplateValidator:
    """Model-field validator, so the admin refuses what the configuration file refuses."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, value: str) -> None:
        problems = template_problems(self.kind, value)
        if problems:
            raise ValidationError(problems)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, FollowupTemplateValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


def _day(value: dt.date | None, missing: str) -> str:
    return f"{value.day} {value:%B %Y}" if value else missing


_MONTHS_CY = (
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
)


def _day_in(language: str, value: dt.date | None, missing: str) -> str:
    if language == "cy" and value:
        return f"{value.day} {_MONTHS_CY[value.month - 1]} {value.year}"
    return _day(value, missing)


def fill(
    kind: str,
    template: str,
    *,
    organisation: str,
    disclosure: Any,
    language: str = "en",
    outcome_text: str | None = None,
) -> str:
    """The message for `disclosure`. A template that is broken (written straight into the
    database) falls back to the default rather than failing the page."""
    if not template or template_problems(kind, template):
        template = DEFAULTS[kind]
    outcome = getattr(disclosure, "outcome", None)
    if outcome_text is None:
        outcome_text = (outcome.whistleblower_text or outcome.label) if outcome else ""
    welsh = language == "cy"
    values = {
        "organisation": organisation,
        "reference": disclosure.reference,
        "received_on": _day_in(
            language,
            disclosure.received_on,
            "y diwrnod y dywedoch wrthym" if welsh else "the day you told us",
        ),
        "feedback_due": _day_in(
            language, disclosure.feedback_due_on, "cyn bo hir" if welsh else "soon"
        ),
        "outcome": outcome_text,
    }
    out: list[str] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)


def followup_message(organisation: Any, kind: str, disclosure: Any, language: str = "en") -> str:
    """The organisation's `kind` message for `disclosure`, filled in, in `language` (Welsh
    when asked and the organisation enables it: organisation/texts.py)."""
    from whistledesk.organisation.texts import localised, shown_language

    language = shown_language(organisation, language)
    if language == "en":
        return fill(
            kind,
            getattr(organisation, f"followup_{kind}", ""),
            organisation=organisation.sentence_name,
            disclosure=disclosure,
        )
    outcome = getattr(disclosure, "outcome", None)
    outcome_text = ""
    if outcome is not None:
        outcome_text = localised(
            outcome, "whistleblower_text", language, organisation=organisation
        ) or localised(outcome, "label", language, organisation=organisation)
    name = localised(organisation, "name_in_sentence", language) or localised(
        organisation, "name", language
    )
    template = localised(organisation, f"followup_{kind}", language)
    if not template or template_problems(kind, template):
        from whistledesk.organisation.texts import FOLLOWUP_DEFAULTS_CY

        template = FOLLOWUP_DEFAULTS_CY[kind]
    return fill(
        kind,
        template,
        organisation=name,
        disclosure=disclosure,
        language=language,
        outcome_text=outcome_text,
    )
