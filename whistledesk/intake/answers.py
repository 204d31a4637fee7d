"""Turning the draft's answers into words: the check-answers rows and the sealed documents.

Both are written from the questionnaire version the draft answered (intake/questions.py
`draft_flow`). The sealed answers carry that version's number and its rows as words, so
staff read a disclosure as the person saw it, whatever the questionnaire is now.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from whistledesk.core.templatetags.govuk_dates import govuk_date
from whistledesk.intake.flow import CONTACT, Flow, Step
from whistledesk.intake.forms import CONTACT_HOW, IDENTITY
from whistledesk.organisation.models import Organisation, ServiceCategory
from whistledesk.organisation.questionnaire import NOT_SURE, Question

_IDENTITY = {v: label for v, label, _ in IDENTITY}
_HOW = dict(CONTACT_HOW)
NOT_SURE_LABEL = gettext_noop("I'm not sure")


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    change_url: str
    change_label: str
    multiline: bool = False


def service_for(
    answers: dict[str, Any], *, organisation: Organisation, flow: Flow | None = None
) -> ServiceCategory | None:
    """The chosen service, or None for "not sure" (or one deactivated since it was chosen)."""
    qid = "service"
    if flow is not None:
        question = flow.questionnaire.service
        if question is None:
            return None
        qid = question.id
    value = answers.get(qid)
    if not value or value == NOT_SURE:
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return ServiceCategory.objects.filter(organisation=organisation, pk=pk, active=True).first()


def _words(question: Question, value: Any, services: Mapping[str, str]) -> str:
    """One answer as the person would read it."""
    if value in (None, "", []):
        return ""
    if question.kind == "service":
        return gettext(NOT_SURE_LABEL) if value == NOT_SURE else services.get(str(value), "")
    if question.kind in ("one_choice", "yes_no"):
        return question.option_label(str(value))
    if question.kind == "several_choices":
        return "\n".join(question.option_label(v) for v in value)
    if question.kind == "date":
        try:
            return govuk_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            return ""
    return str(value)


def _page_row(step: Step, answers: dict[str, Any], services: Mapping[str, str]) -> tuple[str, str]:
    assert step.page is not None
    questions = step.page.questions
    values = [_words(q, answers.get(q.id), services) for q in questions]
    if len(questions) == 1:
        return questions[0].row_label, values[0]
    return step.page.summary or step.page.heading, "\n".join(v for v in values if v)


def answer_rows(flow: Flow, answers: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, words, slug) for every page of questions that applies, in order."""
    answers = flow.prune(answers)
    services = flow.service_words
    rows = []
    for step in flow.applicable(answers):
        if step.kind == "questions":
            label, value = _page_row(step, answers, services)
            rows.append((label, value, step.slug))
        elif step.kind == "identity":
            rows.append(
                (
                    gettext("Telling us who you are"),
                    str(_IDENTITY.get(answers.get("identity", ""), "")),
                    step.slug,
                )
            )
        elif step.kind == "contact":
            details = [
                answers.get("name", ""),
                answers.get("email", ""),
                answers.get("phone", ""),
                gettext("Contact by: {how}").format(
                    how=_HOW.get(answers.get("contact_how", ""), "")
                ),
            ]
            rows.append((gettext("Your details"), "\n".join(d for d in details if d), step.slug))
    return rows


def summary_rows(answers: dict[str, Any], *, flow: Flow, step_url: Callable[..., str]) -> list[Row]:
    return [
        Row(label, value, step_url(slug, change=True), label[:1].lower() + label[1:], True)
        for label, value, slug in answer_rows(flow, answers)
    ]


def sealed_documents(answers: dict[str, Any], *, flow: Flow, number: int) -> dict[str, str]:
    """The texts sealed into the case file: identity, contact, narrative and the other answers.

    Nothing from a page that no longer applies is included (see Flow.prune): an anonymous
    person's earlier typed name never reaches the case file.
    """
    # Staff read the case file in English (staff pages are English first), whatever the
    # language of the public pages it was sent from.
    with translation.override(settings.LANGUAGE_CODE):
        return _sealed_documents(answers, flow=flow, number=number)


def _sealed_documents(answers: dict[str, Any], *, flow: Flow, number: int) -> dict[str, str]:
    answers = flow.prune(answers)
    q = flow.questionnaire
    narrative = q.narrative
    question_ids = {x.id for x in q.questions()}
    identity_choice = answers.get("identity", "anonymous")
    rows = [
        {"label": label, "value": value}
        for label, value, slug in answer_rows(flow, answers)
        if slug != CONTACT
        and not (
            (page := q.page(slug)) is not None
            and len(page.questions) == 1
            and page.questions[0].narrative
        )
    ]
    service = q.service
    documents = {
        "narrative": str(answers.get(narrative.id, "")),
        "answers": json.dumps(
            {
                "questionnaire": number,
                "rows": rows,
                "values": {k: v for k, v in answers.items() if k in question_ids},
                "urgent": flow.is_urgent(answers),
                "service": _words(service, answers.get(service.id), flow.services)
                if service
                else None,
                "identity_choice": str(_IDENTITY.get(identity_choice, "")),
            }
        ),
    }
    if identity_choice != "anonymous":
        documents["identity"] = json.dumps(
            {"choice": identity_choice, "name": answers.get("name", "")}
        )
        documents["contact"] = json.dumps(
            {
                "email": answers.get("email", ""),
                "phone": answers.get("phone", ""),
                "preferred": str(_HOW.get(answers.get("contact_how", ""), "")),
            }
        )
    return documents
