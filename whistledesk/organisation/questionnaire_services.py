"""Storing and reading questionnaire versions: publish (audited), current, a given version.

Versions are append-only (models.QuestionnaireVersion): publishing a document equal to the
current one changes nothing; anything else becomes the next number.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from whistledesk.audit.services import audit_record
from whistledesk.organisation.models import Organisation, QuestionnaireVersion, ServiceCategory
from whistledesk.organisation.questionnaire import (
    DEFAULT,
    DEFAULT_DOCUMENT,
    Questionnaire,
    QuestionnaireError,
    questionnaire_parse,
)

MAX_SOURCE_CHARS = 200_000


@dataclass(frozen=True)
class Current:
    """The questionnaire a new draft starts with; `number` 0 is the built-in default."""

    number: int
    questionnaire: Questionnaire


def _service_labels(organisation: Organisation) -> list[str]:
    return list(
        ServiceCategory.objects.filter(organisation=organisation, active=True).values_list(
            "label", flat=True
        )
    )


def questionnaire_current(*, organisation: Organisation) -> Current:
    row = QuestionnaireVersion.objects.filter(organisation=organisation).first()
    if row is None:
        return Current(0, DEFAULT)
    return Current(row.number, questionnaire_parse(row.document))


def questionnaire_version(*, organisation: Organisation, number: int) -> Current:
    """A stored version (the one a draft or a disclosure answered); the current if unknown."""
    if number == 0:
        return Current(0, DEFAULT)
    row = QuestionnaireVersion.objects.filter(organisation=organisation, number=number).first()
    if row is None:
        return questionnaire_current(organisation=organisation)
    return Current(row.number, questionnaire_parse(row.document))


def questionnaire_document(*, organisation: Organisation) -> dict[str, Any]:
    row = QuestionnaireVersion.objects.filter(organisation=organisation).first()
    return row.document if row is not None else DEFAULT_DOCUMENT


def questionnaire_read_text(text: str) -> dict[str, Any]:
    """A questionnaire typed or uploaded as JSON or TOML (a `[questionnaire]` table or bare)."""
    if len(text) > MAX_SOURCE_CHARS:
        raise QuestionnaireError([f"the text is longer than {MAX_SOURCE_CHARS:,} characters"])
    stripped = text.strip()
    if not stripped:
        raise QuestionnaireError(["the questionnaire is empty: paste its JSON or TOML"])
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise QuestionnaireError(
                [f"the text is not valid JSON: {exc.msg} (line {exc.lineno})"]
            ) from None
    else:
        try:
            data = tomllib.loads(stripped)
        except tomllib.TOMLDecodeError as exc:
            raise QuestionnaireError([f"the text is not valid TOML or JSON: {exc}"]) from None
    if isinstance(data, dict) and set(data) == {"questionnaire"}:
        data = data["questionnaire"]
    if not isinstance(data, dict):
        raise QuestionnaireError(["the questionnaire must be a table with pages and texts"])
    return data


def questionnaire_check(*, organisation: Organisation, document: Any) -> Questionnaire:
    return questionnaire_parse(document, services=_service_labels(organisation))


def questionnaire_publish(
    *, actor: Any, organisation: Organisation, document: dict[str, Any], source: str
) -> QuestionnaireVersion | None:
    """Check and store `document` as the next version. None: it equals the current one."""
    questionnaire_check(organisation=organisation, document=document)
    with transaction.atomic():
        # Lock the organisation row: two publishers never take the same number.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        latest = QuestionnaireVersion.objects.filter(organisation=organisation).first()
        if latest is not None and latest.document == document:
            return None
        row = QuestionnaireVersion.objects.create(
            organisation=organisation,
            number=(latest.number if latest else 0) + 1,
            document=document,
            source=source[:40],
        )
        audit_record(
            actor=actor,
            action="questionnaire.published",
            object_type="questionnaire",
            object_id=row.number,
            details={"number": row.number, "pages": len(document.get("pages", []))},
        )
    return row
