"""Turning the draft's answers into words: the check-answers rows and the sealed documents."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whistledesk.intake import flow
from whistledesk.intake.forms import CONTACT_HOW, IDENTITY, NOT_SURE, RAISED_TIMES, ROLES, YES_NO
from whistledesk.organisation.models import Organisation, ServiceCategory

_YES_NO = dict(YES_NO)
_TIMES = dict(RAISED_TIMES)
_ROLES = {v: label for v, label, _ in ROLES}
_IDENTITY = {v: label for v, label, _ in IDENTITY}
_HOW = dict(CONTACT_HOW)


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    change_url: str
    change_label: str
    multiline: bool = False


def service_for(answers: dict[str, Any], *, organisation: Organisation) -> ServiceCategory | None:
    """The chosen service, or None for "not sure" (or one deactivated since it was chosen)."""
    value = answers.get("service")
    if not value or value == NOT_SURE:
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return ServiceCategory.objects.filter(organisation=organisation, pk=pk, active=True).first()


def summary_rows(
    answers: dict[str, Any], *, organisation: Organisation, step_url: Callable[..., str]
) -> list[Row]:
    service = service_for(answers, organisation=organisation)

    def row(label: str, value: str, slug: str, what: str, multiline: bool = False) -> Row:
        return Row(label, value, step_url(slug, change=True), what, multiline)

    rows = [
        row(
            "Child at immediate risk",
            _YES_NO.get(answers.get("risk", ""), ""),
            "risk",
            "whether a child is at immediate risk",
        ),
        row(
            "Concern is about",
            service.label if service else "I'm not sure",
            "service",
            "what your concern is about",
        ),
        row(
            "Organisation or setting",
            "\n".join(
                x for x in (answers.get("setting_name", ""), answers.get("setting_area", "")) if x
            ),
            "setting",
            "the organisation or setting",
            multiline=True,
        ),
        row(
            "What happened",
            answers.get("narrative", ""),
            "what-happened",
            "what happened",
            multiline=True,
        ),
        row(
            "Raised before",
            _YES_NO.get(answers.get("raised", ""), ""),
            "raised-before",
            "whether you raised it before",
        ),
    ]
    if answers.get("raised") == "yes":
        rows.append(
            row(
                "Raised with",
                "\n".join(
                    [
                        answers.get("raised_with", ""),
                        _TIMES.get(answers.get("raised_times", ""), ""),
                    ]
                ),
                "raised-details",
                "who you raised it with",
                multiline=True,
            )
        )
    rows.append(
        row(
            "Your connection",
            _ROLES.get(answers.get("role", ""), ""),
            "your-role",
            "your connection to the organisation",
        )
    )
    rows.append(
        row(
            "Telling us who you are",
            _IDENTITY.get(answers.get("identity", ""), ""),
            "identity",
            "whether you tell us who you are",
        )
    )
    if flow.applies(flow.BY_SLUG["contact"], answers):
        details = [
            answers.get("name", ""),
            answers.get("email", ""),
            answers.get("phone", ""),
            f"Contact by: {_HOW.get(answers.get('contact_how', ''), '')}",
        ]
        rows.append(
            row(
                "Your details",
                "\n".join(d for d in details if d),
                "contact",
                "your details",
                multiline=True,
            )
        )
    return rows


def sealed_documents(answers: dict[str, Any], *, organisation: Organisation) -> dict[str, str]:
    """The texts sealed into the case file: identity, contact, narrative and the other answers.

    Nothing from a page that no longer applies is included (see flow.prune): an anonymous
    person's earlier typed name never reaches the case file.
    """
    answers = flow.prune(answers)
    service = service_for(answers, organisation=organisation)
    identity_choice = answers.get("identity", "anonymous")
    documents = {
        "narrative": answers.get("narrative", ""),
        "answers": json.dumps(
            {
                "child_at_immediate_risk": answers.get("risk") == "yes",
                "service": service.label if service else None,
                "setting_name": answers.get("setting_name", ""),
                "setting_area": answers.get("setting_area", ""),
                "raised_before": answers.get("raised") == "yes",
                "raised_with": answers.get("raised_with", ""),
                "raised_times": _TIMES.get(answers.get("raised_times", ""), ""),
                "role": _ROLES.get(answers.get("role", ""), ""),
                "identity_choice": _IDENTITY.get(identity_choice, ""),
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
                "preferred": _HOW.get(answers.get("contact_how", ""), ""),
            }
        )
    return documents
