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
    DEFAULT_DOCUMENT,
    Questionnaire,
    QuestionnaireError,
    questionnaire_parse,
)
from whistledesk.organisation.texts import questionnaire_missing, shown_language

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


def _parsed(document: dict[str, Any], organisation: Organisation, language: str) -> Questionnaire:
    # English unless asked: the sealed answers and the staff pages read the English words.
    return questionnaire_parse(document, language=shown_language(organisation, language))


def questionnaire_current(*, organisation: Organisation, language: str = "en") -> Current:
    """The current version, its texts in `language` when the organisation enables it
    (organisation/texts.py; the public pages pass the active language)."""
    row = QuestionnaireVersion.objects.filter(organisation=organisation).first()
    if row is None:
        return Current(0, _parsed(DEFAULT_DOCUMENT, organisation, language))
    return Current(row.number, _parsed(row.document, organisation, language))


def questionnaire_version(
    *, organisation: Organisation, number: int, language: str = "en"
) -> Current:
    """A stored version (the one a draft or a disclosure answered); the current if unknown."""
    if number == 0:
        return Current(0, _parsed(DEFAULT_DOCUMENT, organisation, language))
    row = QuestionnaireVersion.objects.filter(organisation=organisation, number=number).first()
    if row is None:
        return questionnaire_current(organisation=organisation, language=language)
    return Current(row.number, _parsed(row.document, organisation, language))


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


def questionnaire_check(
    *, organisation: Organisation, document: Any, languages: list[str] | None = None
) -> Questionnaire:
    """The checked questionnaire; refused when a language the organisation enables (or
    `languages`, for a configuration about to be stored) lacks one of its texts."""
    questionnaire = questionnaire_parse(document, services=_service_labels(organisation))
    problems = [
        f"{key} is missing: every text needs its Welsh when Welsh is enabled"
        for lang in (languages or organisation.language_codes)
        if lang != "en"
        for key in questionnaire_missing(document, lang)
    ]
    if problems:
        raise QuestionnaireError(problems)
    return questionnaire


def questionnaire_publish(
    *,
    actor: Any,
    organisation: Organisation,
    document: dict[str, Any],
    source: str,
    languages: list[str] | None = None,
) -> QuestionnaireVersion | None:
    """Check and store `document` as the next version. None: it equals the current one."""
    questionnaire_check(organisation=organisation, document=document, languages=languages)
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
