"""Writes to the organisation and its taxonomy. Each write records one audit event."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from whistledesk.audit.services import audit_record
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.config_file import OrganisationConfig
from whistledesk.organisation.models import (
    RESERVED_SLUGS,
    Organisation,
    Outcome,
    ReportYear,
    ServiceCategory,
)
from whistledesk.organisation.questionnaire_services import questionnaire_publish


@dataclass(frozen=True)
class ConfigureResult:
    organisation: Organisation
    organisation_created: bool
    services_created: int
    services_updated: int
    services_deactivated: int
    outcomes_created: int
    outcomes_updated: int
    outcomes_deactivated: int
    years_written: int


def _sync_ordered(
    model: type[ServiceCategory] | type[Outcome],
    *,
    organisation: Organisation,
    wanted: list[dict[str, Any]],
) -> tuple[int, int, int]:
    """Make the active list match `wanted` (in order), matched by label.

    Rows missing from `wanted` become inactive, never deleted: past disclosures point at them.
    Returns (created, updated, deactivated).
    """
    existing = {row.label: row for row in model.objects.filter(organisation=organisation)}
    created = updated = deactivated = 0
    for position, values in enumerate(wanted):
        row = existing.pop(values["label"], None)
        fields = {**values, "position": position, "active": True}
        if row is None:
            model.objects.create(organisation=organisation, **fields)
            created += 1
            continue
        changed = [name for name, value in fields.items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, fields[name])
            row.save(update_fields=changed)
            updated += 1
    # Retired rows go after the active ones, keeping their relative order.
    retired = sorted(existing.values(), key=lambda r: (r.position, r.pk))
    for offset, row in enumerate(retired):
        position = len(wanted) + offset
        if row.active or row.position != position:
            deactivated += int(row.active)
            row.active = False
            row.position = position
            row.save(update_fields=["active", "position"])
    return created, updated, deactivated


def _organisation_to_configure(config: OrganisationConfig) -> Organisation:
    """The organisation a file configures, locked: its slug's, or the only one, or a new one."""
    if config.slug:
        found = Organisation.objects.select_for_update().filter(slug=config.slug).first()
        if found is not None:
            return found
        # A file naming a slug may also rename the only organisation's slug (first use).
        only = list(Organisation.objects.select_for_update().order_by("id")[:2])
        if len(only) == 1 and only[0].name == config.name:
            return only[0]
        return Organisation()
    orgs = list(Organisation.objects.select_for_update().order_by("id")[:2])
    if len(orgs) > 1:
        raise DomainError(
            "This installation has several organisations: say which one the file configures "
            'with slug = "..." in its [organisation] table.'
        )
    return orgs[0] if orgs else Organisation()


def _free_slug(text: str) -> str:
    base = (slugify(text) or "organisation")[:30].strip("-") or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-org"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_configure(
    *, actor: Any, config: OrganisationConfig, source: bytes | None = None
) -> ConfigureResult:
    """Create or update the (single) organisation and its taxonomy from a checked config.

    `source` is the file the config came from; only its SHA-256 is audited.
    """
    org = _organisation_to_configure(config)
    created = org.pk is None
    if config.slug:
        org.slug = config.slug
    elif created:
        org.slug = _free_slug(config.short_name or config.name)
    if config.host and Organisation.objects.filter(host=config.host).exclude(pk=org.pk).exists():
        raise DomainError(f"Another organisation already has the host name {config.host!r}.")
    org.host = config.host
    org.languages = config.languages
    org.name = config.name
    org.name_in_sentence = config.name_in_sentence
    org.short_name = config.short_name
    org.year_start_month = config.year_start_month
    org.year_start_day = config.year_start_day
    org.disclosure_noun = config.disclosure_noun
    org.report_title = config.report_title
    org.functions_text = config.functions
    org.policy_url = config.policy_url
    org.public_guidance = config.public_guidance
    org.policy_text = config.policy_text
    if config.small_cell_threshold is not None:
        org.small_cell_threshold = config.small_cell_threshold
    for name, value in vars(config.legal).items():
        setattr(org, name, value)
    for key, template in config.wording.items():
        setattr(org, f"wording_{key}", template)
    for kind, template in config.followup.items():
        setattr(org, f"followup_{kind}", template)
    org.translations = config.translations
    org.save()

    s_created, s_updated, s_deactivated = _sync_ordered(
        ServiceCategory,
        organisation=org,
        wanted=[
            {
                "label": s.label,
                "report_phrase": s.phrase,
                "report_description": s.description,
                "translations": s.translations,
            }
            for s in config.services
        ],
    )
    o_created, o_updated, o_deactivated = _sync_ordered(
        Outcome,
        organisation=org,
        wanted=[
            {
                "label": o.label,
                "further_action": o.further_action,
                "whistleblower_text": o.whistleblower_text,
                "translations": o.translations,
            }
            for o in config.outcomes
        ],
    )
    # Years not in the file are left alone: their text may have been written in the admin.
    for y in config.years:
        ReportYear.objects.update_or_create(
            organisation=org,
            year=y.year,
            defaults={
                "impact_text": y.impact,
                "further_action_example": y.further_action_example,
                "no_further_action_example": y.no_further_action_example,
                "translations": y.translations,
            },
        )

    if config.questionnaire is not None:
        questionnaire_publish(
            actor=actor,
            organisation=org,
            document=config.questionnaire,
            source="configuration",
            languages=org.language_codes,
        )

    result = ConfigureResult(
        organisation=org,
        organisation_created=created,
        services_created=s_created,
        services_updated=s_updated,
        services_deactivated=s_deactivated,
        outcomes_created=o_created,
        outcomes_updated=o_updated,
        outcomes_deactivated=o_deactivated,
        years_written=len(config.years),
    )
    audit_record(
        actor=actor,
        action="organisation.configured",
        object_type="organisation",
        object_id=org.pk,
        details={
            "created": created,
            "services": len(config.services),
            "services_deactivated": s_deactivated,
            "outcomes": len(config.outcomes),
            "outcomes_deactivated": o_deactivated,
            "years": sorted(y.year for y in config.years),
            "source_sha256": hashlib.sha256(source).hexdigest() if source is not None else "",
        },
    )
    return result


@transaction.atomic
def organisation_followup_wording_set(
    *, actor: Any, organisation: Organisation, texts: dict[str, str]
) -> Organisation:
    """Save the follow-up message templates (checked by the caller's form or config);
    `texts["<kind>_cy"]` is the Welsh of one (organisation/texts.py).

    Audited with the kinds changed, never the text.
    """
    from whistledesk.organisation.followup_wording import DEFAULTS, template_problems
    from whistledesk.organisation.texts import set_translation

    changed = []
    fields = []
    for kind in DEFAULTS:
        text = texts.get(kind, "").strip()
        sound = bool(text) and not template_problems(kind, text)
        if sound and getattr(organisation, f"followup_{kind}") != text:
            setattr(organisation, f"followup_{kind}", text)
            changed.append(kind)
            fields.append(f"followup_{kind}")
        welsh = texts.get(f"{kind}_cy", "").strip()
        if welsh and not template_problems(kind, welsh):
            current = ((organisation.translations or {}).get("cy") or {}).get(f"followup_{kind}")
            if current != welsh:
                set_translation(organisation, "cy", f"followup_{kind}", welsh)
                changed.append(f"{kind}_cy")
                if "translations" not in fields:
                    fields.append("translations")
    if changed:
        organisation.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor,
            action="organisation.followup_wording_changed",
            object_type="organisation",
            object_id=organisation.pk,
            details={"kinds": changed},
        )
    return organisation
