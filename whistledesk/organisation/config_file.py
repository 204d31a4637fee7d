"""Read and check an organisation configuration file (TOML) before anything is stored.

The whole file is checked first and refused whole: a typo in one key must not leave the
organisation half configured. Every message names the key (and the TOML line when the
parser gives one), so the person can find it in their file.

Format (see whistledesk/organisation/configs/childrens_commissioner.toml for a complete example):

    [organisation]            name (required), slug (its path in a shared installation,
                              e.g. "cco"), host (its own host name), languages (["en"] or
                              ["en", "cy"]), name_in_sentence, short_name,
                              year_start ("MM-DD"), disclosure_noun, report_title,
                              functions, policy_url, policy_text, public_guidance,
                              contact_email, small_cell_threshold (a whole number from
                              1 to 100: disclosure control; left out, the stored value stays)
    [privacy]                 the privacy notice, each optional: controller, controller_address,
                              dpo_email, ico_registration, lawful_basis, recipients,
                              retention, more
    [accessibility]           the accessibility statement, each optional: status ("full",
                              "partial" or "not"), problems, prepared_on and reviewed_on
                              (dates: 2026-11-30), method, enforcement ("ehrc" or "ecni")
    [wording]                 the report's sentence templates, each optional (the neutral
                              default otherwise): see whistledesk/organisation/wording.py
    [followup]                the messages to whistleblowers, each optional (the shipped
                              default otherwise): acknowledgement, feedback, outcome; see
                              whistledesk/organisation/followup_wording.py
    [[services]]              label (required), phrase, description      (at least one)
    [[outcomes]]              label (required), further_action (required) (at least one),
                              whistleblower_text (the outcome in plain words for them)
    [[years]]                 year (required), impact, further_action_example,
                              no_further_action_example
    [questionnaire]           the public form (organisation/questionnaire.py)

Welsh (docs/adr/0018-texts.md): with `languages = ["en", "cy"]`, every text written in
English must be written in Welsh too, under the same key with `_cy` added, in the same
table: `public_guidance_cy`, `functions_cy`, `name_cy` in [organisation]; `lawful_basis_cy`
in [privacy]; `problems_cy` in [accessibility]; `no_further_action_cy` in [wording] and
`outcome_cy` in [followup] (placeholders checked like the English); `label_cy`,
`phrase_cy`, `description_cy` in [[services]]; `label_cy`, `whistleblower_text_cy` in
[[outcomes]]; `impact_cy`, ... in [[years]]; and in the questionnaire `label_cy`, `hint_cy`,
`error_cy`, `summary_cy`, `too_long_cy` on questions, `label_cy`/`hint_cy` on options,
`title_cy`, `warning_cy`, `body_cy`, `button_cy`, `summary_cy` on pages and `start_title_cy`
... in its texts. A file that enables Welsh with one missing is refused, naming each key.
A report template or follow-up message left to its English default takes the shipped Welsh
default. Texts given in Welsh while only English is enabled are kept for later.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from whistledesk.core.exceptions import DomainError
from whistledesk.organisation import followup_wording, wording
from whistledesk.organisation.models import (
    RESERVED_SLUGS,
    AccessibilityStatus,
    EnforcementBody,
    validate_languages,
    validate_year_start,
)
from whistledesk.organisation.questionnaire import QuestionnaireError, questionnaire_parse
from whistledesk.organisation.texts import questionnaire_missing


class ConfigError(DomainError):
    """The configuration file is unusable; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


# Texts in the organisation's other languages, by language and then model field:
# {"cy": {"label": "Cartrefi Plant"}} (organisation/texts.py).
Translations = dict[str, dict[str, str]]


@dataclass(frozen=True)
class ServiceConfig:
    label: str
    phrase: str = ""
    description: str = ""
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class OutcomeConfig:
    label: str
    further_action: bool
    whistleblower_text: str = ""
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class YearConfig:
    year: int
    impact: str = ""
    further_action_example: str = ""
    no_further_action_example: str = ""
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class LegalConfig:
    """The privacy notice and accessibility statement; blank means the page's default."""

    contact_email: str = ""
    controller_name: str = ""
    controller_address: str = ""
    dpo_email: str = ""
    ico_registration: str = ""
    privacy_lawful_basis: str = ""
    privacy_recipients: str = ""
    privacy_retention: str = ""
    privacy_more: str = ""
    accessibility_status: str = AccessibilityStatus.PARTIAL
    accessibility_problems: str = ""
    accessibility_prepared_on: dt.date | None = None
    accessibility_reviewed_on: dt.date | None = None
    accessibility_method: str = ""
    accessibility_enforcement: str = EnforcementBody.EHRC


@dataclass(frozen=True)
class OrganisationConfig:
    name: str
    # Where it is served (ADR 0017). Blank slug: the only organisation, or a new one named
    # after its short name; blank host: none of its own.
    slug: str = ""
    host: str = ""
    languages: str = "en"
    name_in_sentence: str = ""
    short_name: str = ""
    year_start_month: int = 4
    year_start_day: int = 1
    disclosure_noun: str = "whistleblowing disclosures"
    report_title: str = "Whistleblowing Disclosures"
    functions: str = ""
    policy_url: str = ""
    public_guidance: str = ""
    policy_text: str = ""
    # None: keep the stored threshold (it may have been set on the report page).
    small_cell_threshold: int | None = None
    legal: LegalConfig = field(default_factory=LegalConfig)
    services: list[ServiceConfig] = field(default_factory=list)
    outcomes: list[OutcomeConfig] = field(default_factory=list)
    years: list[YearConfig] = field(default_factory=list)
    # Every template key, the file's wording or the default.
    wording: dict[str, str] = field(default_factory=lambda: dict(wording.DEFAULTS))
    # The [questionnaire] table, checked (organisation/questionnaire.py); None: left as it is.
    questionnaire: dict[str, Any] | None = None
    # Every follow-up message template, the file's or the default.
    followup: dict[str, str] = field(default_factory=lambda: dict(followup_wording.DEFAULTS))
    # The organisation's own texts in its other languages (wording_*, followup_*, ...).
    translations: Translations = field(default_factory=dict)


# key -> (type, required, maximum length or None). Lengths mirror the model fields.
_ORG_KEYS: dict[str, tuple[type, bool, int | None]] = {
    "name": (str, True, 200),
    "slug": (str, False, 40),
    "host": (str, False, 253),
    "languages": (list, False, None),
    "name_in_sentence": (str, False, 200),
    "short_name": (str, False, 40),
    "year_start": (str, False, None),
    "disclosure_noun": (str, False, 80),
    "report_title": (str, False, 200),
    "functions": (str, False, None),
    "policy_url": (str, False, 200),
    "public_guidance": (str, False, None),
    "policy_text": (str, False, None),
    "contact_email": (str, False, 254),
    "small_cell_threshold": (int, False, None),
}
_PRIVACY_KEYS: dict[str, tuple[type, bool, int | None]] = {
    "controller": (str, False, 200),
    "controller_address": (str, False, None),
    "dpo_email": (str, False, 254),
    "ico_registration": (str, False, 20),
    "lawful_basis": (str, False, None),
    "recipients": (str, False, None),
    "retention": (str, False, None),
    "more": (str, False, None),
}
_ACCESSIBILITY_KEYS: dict[str, tuple[type, bool, int | None]] = {
    "status": (str, False, None),
    "problems": (str, False, None),
    "prepared_on": (dt.date, False, None),
    "reviewed_on": (dt.date, False, None),
    "method": (str, False, None),
    "enforcement": (str, False, None),
}
_SERVICE_KEYS: dict[str, tuple[type, bool, int | None]] = {
    "label": (str, True, 200),
    "phrase": (str, False, 200),
    "description": (str, False, None),
}
_OUTCOME_KEYS: dict[str, tuple[type, bool, int | None]] = {
    "label": (str, True, 400),
    "further_action": (bool, True, None),
    "whistleblower_text": (str, False, None),
}
_YEAR_KEYS: dict[str, tuple[type, bool, int | None]] = {
    "year": (int, True, None),
    "impact": (str, False, None),
    "further_action_example": (str, False, None),
    "no_further_action_example": (str, False, None),
}
_WORDING_KEYS: dict[str, tuple[type, bool, int | None]] = {
    key: (str, False, wording.MAX_LENGTH) for key in wording.DEFAULTS
}
_FOLLOWUP_KEYS: dict[str, tuple[type, bool, int | None]] = {
    kind: (str, False, followup_wording.MAX_LENGTH) for kind in followup_wording.DEFAULTS
}
# The texts of each table written in every language, config key -> model field.
_ORG_TEXTS = {
    "name": "name",
    "name_in_sentence": "name_in_sentence",
    "short_name": "short_name",
    "disclosure_noun": "disclosure_noun",
    "report_title": "report_title",
    "functions": "functions_text",
    "public_guidance": "public_guidance",
    "policy_text": "policy_text",
}
_PRIVACY_TEXTS = {
    "lawful_basis": "privacy_lawful_basis",
    "recipients": "privacy_recipients",
    "retention": "privacy_retention",
    "more": "privacy_more",
}
_ACCESSIBILITY_TEXTS = {"problems": "accessibility_problems", "method": "accessibility_method"}
_WORDING_TEXTS = {key: f"wording_{key}" for key in wording.DEFAULTS}
_FOLLOWUP_TEXTS = {kind: f"followup_{kind}" for kind in followup_wording.DEFAULTS}
_SERVICE_TEXTS = {"label": "label", "phrase": "report_phrase", "description": "report_description"}
_OUTCOME_TEXTS = {"label": "label", "whistleblower_text": "whistleblower_text"}
_YEAR_TEXTS = {
    "impact": "impact_text",
    "further_action_example": "further_action_example",
    "no_further_action_example": "no_further_action_example",
}
OTHER_LANGUAGES = ("cy",)
_LANGUAGE_NAMES = {"cy": "Welsh"}


def _translatable(
    keys: dict[str, tuple[type, bool, int | None]], texts: dict[str, str]
) -> dict[str, tuple[type, bool, int | None]]:
    """`keys` and, for each text, `<key>_cy` (same type and length, never required)."""
    extra = {
        f"{key}_{lang}": (keys[key][0], False, keys[key][2])
        for key in texts
        for lang in OTHER_LANGUAGES
    }
    return keys | extra


_ORG_KEYS = _translatable(_ORG_KEYS, _ORG_TEXTS)
_PRIVACY_KEYS = _translatable(_PRIVACY_KEYS, _PRIVACY_TEXTS)
_ACCESSIBILITY_KEYS = _translatable(_ACCESSIBILITY_KEYS, _ACCESSIBILITY_TEXTS)
_WORDING_KEYS = _translatable(_WORDING_KEYS, _WORDING_TEXTS)
_FOLLOWUP_KEYS = _translatable(_FOLLOWUP_KEYS, _FOLLOWUP_TEXTS)
_SERVICE_KEYS = _translatable(_SERVICE_KEYS, _SERVICE_TEXTS)
_OUTCOME_KEYS = _translatable(_OUTCOME_KEYS, _OUTCOME_TEXTS)
_YEAR_KEYS = _translatable(_YEAR_KEYS, _YEAR_TEXTS)


def _translations(
    table: dict[str, Any],
    texts: dict[str, str],
    languages: list[str],
    where: str,
    problems: list[str],
) -> Translations:
    """The table's texts in each other language; a problem for each text written in English
    and not in a language the organisation enables."""
    out: Translations = {}
    for lang in OTHER_LANGUAGES:
        found: dict[str, str] = {}
        for key, model_field in texts.items():
            other = table.get(f"{key}_{lang}", "")
            if other:
                found[model_field] = other
            elif lang in languages and str(table.get(key, "")).strip():
                problems.append(
                    f"{where}.{key}_{lang} is missing: {_LANGUAGE_NAMES[lang]} is enabled "
                    f"(languages), so {where}.{key} needs its {_LANGUAGE_NAMES[lang]} text too"
                )
        if found:
            out[lang] = found
    return out


_TOP_KEYS = {
    "followup",
    "organisation",
    "privacy",
    "accessibility",
    "wording",
    "services",
    "outcomes",
    "years",
    "questionnaire",
}
_YEAR_START = re.compile(r"^(\d{2})-(\d{2})$")
_TYPE_NAMES = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    dt.date: "a date, written 2026-11-30 (no quotes)",
    list: 'a list, e.g. ["en", "cy"]',
}


def _check_table(
    table: Any, keys: dict[str, tuple[type, bool, int | None]], where: str, problems: list[str]
) -> dict[str, Any]:
    """The table's values that passed; a problem for each key that did not."""
    if not isinstance(table, dict):
        problems.append(f"{where} must be a table")
        return {}
    good: dict[str, Any] = {}
    for key in table:
        if key not in keys:
            problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(keys))})")
    for key, (kind, required, max_length) in keys.items():
        if key not in table:
            if required:
                problems.append(f"{where}.{key} is missing")
            continue
        value = table[key]
        # bool is a subclass of int in Python, but `year = true` is a mistake; likewise a
        # date-time is a date, but only a day is meant.
        if (
            not isinstance(value, kind)
            or (kind is int and isinstance(value, bool))
            or (kind is dt.date and isinstance(value, dt.datetime))
        ):
            problems.append(f"{where}.{key} must be {_TYPE_NAMES[kind]}")
            continue
        if isinstance(value, str):
            value = value.strip()
            if required and not value:
                problems.append(f"{where}.{key} is empty")
                continue
            if max_length is not None and len(value) > max_length:
                problems.append(
                    f"{where}.{key} is {len(value)} characters long; the most is {max_length}"
                )
                continue
        good[key] = value
    return good


def _check_list(data: dict[str, Any], name: str, problems: list[str]) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list):
        problems.append(f"{name} must be an array of tables: write [[{name}]] before each entry")
        return []
    return value


def _check_unique_labels(items: list[dict[str, Any]], where: str, problems: list[str]) -> None:
    # Case-insensitive: "School" and "school" side by side would confuse staff and importers.
    seen: dict[str, int] = {}
    for i, item in enumerate(items, start=1):
        label = item.get("label")
        if label is None:
            continue
        key = label.casefold()
        if key in seen:
            problems.append(
                f"{where}[{i}].label {label!r} repeats {where}[{seen[key]}].label: "
                "labels must be unique"
            )
        else:
            seen[key] = i


def _year_start(value: str, problems: list[str]) -> tuple[int, int]:
    match = _YEAR_START.match(value)
    if not match:
        problems.append(f'organisation.year_start {value!r} must be MM-DD, e.g. "04-01"')
        return 4, 1
    month, day = int(match.group(1)), int(match.group(2))
    try:
        validate_year_start(month, day)
    except ValidationError as exc:
        problems.append(f"organisation.year_start: {' '.join(exc.messages)}")
    return month, day


def _base_key(key: str) -> str:
    for lang in OTHER_LANGUAGES:
        if key.endswith(f"_{lang}"):
            return key[: -len(lang) - 1]
    return key


def _check_wording(table: Any, problems: list[str]) -> dict[str, str]:
    """Every template: the file's when given and sound, else the default."""
    given = _check_table(table, _WORDING_KEYS, "wording", problems)
    for key, text in given.items():
        for problem in wording.template_problems(_base_key(key), text):
            problems.append(f"wording.{key}: {problem}")
    # An empty value means "the default", like a key left out.
    return {key: given.get(key) or default for key, default in wording.DEFAULTS.items()}


def _check_followup(table: Any, problems: list[str]) -> dict[str, str]:
    """Every follow-up template: the file's when given and sound, else the default."""
    given = _check_table(table, _FOLLOWUP_KEYS, "followup", problems)
    for kind, text in given.items():
        if text:
            for problem in followup_wording.template_problems(_base_key(kind), text):
                problems.append(f"followup.{kind}: {problem}")
    return {k: given.get(k) or default for k, default in followup_wording.DEFAULTS.items()}


def _check_email(value: str, where: str, problems: list[str]) -> None:
    if value:
        try:
            EmailValidator()(value)
        except ValidationError:
            problems.append(f"{where} must be an email address, like dpo@example.org")


def _check_choice(
    value: str,
    choices: type[AccessibilityStatus] | type[EnforcementBody],
    where: str,
    problems: list[str],
) -> None:
    if value and value not in choices.values:
        allowed = ", ".join(f'"{v}"' for v in choices.values)
        problems.append(f"{where} {value!r} must be one of {allowed}")


def _check_legal(org: dict[str, Any], data: dict[str, Any], problems: list[str]) -> LegalConfig:
    privacy = _check_table(data.get("privacy", {}), _PRIVACY_KEYS, "privacy", problems)
    access = _check_table(
        data.get("accessibility", {}), _ACCESSIBILITY_KEYS, "accessibility", problems
    )
    _check_email(org.get("contact_email", ""), "organisation.contact_email", problems)
    _check_email(privacy.get("dpo_email", ""), "privacy.dpo_email", problems)
    _check_choice(access.get("status", ""), AccessibilityStatus, "accessibility.status", problems)
    _check_choice(
        access.get("enforcement", ""), EnforcementBody, "accessibility.enforcement", problems
    )
    return LegalConfig(
        contact_email=org.get("contact_email", ""),
        controller_name=privacy.get("controller", ""),
        controller_address=privacy.get("controller_address", ""),
        dpo_email=privacy.get("dpo_email", ""),
        ico_registration=privacy.get("ico_registration", ""),
        privacy_lawful_basis=privacy.get("lawful_basis", ""),
        privacy_recipients=privacy.get("recipients", ""),
        privacy_retention=privacy.get("retention", ""),
        privacy_more=privacy.get("more", ""),
        accessibility_status=access.get("status") or LegalConfig.accessibility_status,
        accessibility_problems=access.get("problems", ""),
        accessibility_prepared_on=access.get("prepared_on"),
        accessibility_reviewed_on=access.get("reviewed_on"),
        accessibility_method=access.get("method", ""),
        accessibility_enforcement=access.get("enforcement")
        or LegalConfig.accessibility_enforcement,
    )


def _merge(*parts: Translations) -> Translations:
    out: Translations = {}
    for part in parts:
        for lang, texts in part.items():
            out.setdefault(lang, {}).update(texts)
    return out


def parse_config(text: str) -> OrganisationConfig:
    """Check a configuration held as TOML text. Raises ConfigError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line N, column M)".
        raise ConfigError([f"the file is not valid TOML: {exc}"]) from None
    problems: list[str] = []
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(
                f"unknown key {key!r} (allowed: [organisation], [privacy], [accessibility], "
                "[wording], [[services]], [[outcomes]], [[years]], [questionnaire])"
                "[wording], [followup], [[services]], [[outcomes]], [[years]])"
            )
    org: dict[str, Any] = {}
    if "organisation" in data:
        org = _check_table(data["organisation"], _ORG_KEYS, "organisation", problems)
    else:
        problems.append("[organisation] is missing")

    month, day = _year_start(org["year_start"], problems) if "year_start" in org else (4, 1)
    if org.get("policy_url"):
        try:
            URLValidator(schemes=["https", "http"])(org["policy_url"])
        except ValidationError:
            problems.append("organisation.policy_url must be a web address (https://...)")

    slug = org.get("slug", "")
    if slug and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        problems.append(
            f"organisation.slug {slug!r} must be lower-case letters, digits and hyphens, e.g. 'cco'"
        )
    elif slug in RESERVED_SLUGS:
        problems.append(f"organisation.slug {slug!r} is a path the service uses: choose another")
    host = org.get("host", "").strip().lower()
    if host and not re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", host):
        problems.append(
            f"organisation.host {host!r} must be a host name without scheme or port, "
            "e.g. 'whistleblowing.example.org'"
        )
    languages = org.get("languages", ["en"])
    try:
        validate_languages(",".join(str(x) for x in languages))
    except ValidationError as exc:
        problems.append(f"organisation.languages: {' '.join(exc.messages)}")

    threshold = org.get("small_cell_threshold")
    if threshold is not None and not 1 <= threshold <= 100:
        problems.append(
            f"organisation.small_cell_threshold {threshold} must be a whole number from 1 to 100"
        )
    legal = _check_legal(org, data, problems)
    templates = _check_wording(data.get("wording", {}), problems)
    followup = _check_followup(data.get("followup", {}), problems)

    services = [
        _check_table(t, _SERVICE_KEYS, f"services[{i}]", problems)
        for i, t in enumerate(_check_list(data, "services", problems), start=1)
    ]
    outcomes = [
        _check_table(t, _OUTCOME_KEYS, f"outcomes[{i}]", problems)
        for i, t in enumerate(_check_list(data, "outcomes", problems), start=1)
    ]
    years = [
        _check_table(t, _YEAR_KEYS, f"years[{i}]", problems)
        for i, t in enumerate(_check_list(data, "years", problems), start=1)
    ]
    if not services:
        problems.append("no [[services]]: list at least one service category")
    if not outcomes:
        problems.append("no [[outcomes]]: list at least one outcome")
    _check_unique_labels(services, "services", problems)
    _check_unique_labels(outcomes, "outcomes", problems)
    seen_years: set[int] = set()
    for i, y in enumerate(years, start=1):
        if "year" not in y:
            continue
        if not 1990 <= y["year"] <= 2200:
            problems.append(f"years[{i}].year {y['year']} is not a plausible year")
        if y["year"] in seen_years:
            problems.append(f"years[{i}].year {y['year']} appears twice")
        seen_years.add(y["year"])
    codes = [str(x) for x in languages] if isinstance(languages, list) else ["en"]

    def raw_table(name: str) -> dict[str, Any]:
        table = data.get(name, {})
        return table if isinstance(table, dict) else {}

    org_translations = _merge(
        _translations(org, _ORG_TEXTS, codes, "organisation", problems),
        _translations(raw_table("privacy"), _PRIVACY_TEXTS, codes, "privacy", problems),
        _translations(
            raw_table("accessibility"), _ACCESSIBILITY_TEXTS, codes, "accessibility", problems
        ),
        # A template left to its default takes the shipped default in each language.
        _translations(raw_table("wording"), _WORDING_TEXTS, codes, "wording", problems),
        _translations(raw_table("followup"), _FOLLOWUP_TEXTS, codes, "followup", problems),
    )
    service_translations = [
        _translations(s, _SERVICE_TEXTS, codes, f"services[{i}]", problems)
        for i, s in enumerate(services, start=1)
    ]
    outcome_translations = [
        _translations(o, _OUTCOME_TEXTS, codes, f"outcomes[{i}]", problems)
        for i, o in enumerate(outcomes, start=1)
    ]
    year_translations = [
        _translations(y, _YEAR_TEXTS, codes, f"years[{i}]", problems)
        for i, y in enumerate(years, start=1)
    ]
    questionnaire = data.get("questionnaire")
    if questionnaire is not None and not problems:
        try:
            questionnaire_parse(questionnaire, services=[s["label"] for s in services])
        except QuestionnaireError as exc:
            problems.extend(f"questionnaire: {p}" for p in exc.problems)
        for lang in codes[1:]:
            problems.extend(
                f"{key} is missing: {_LANGUAGE_NAMES[lang]} is enabled (languages), so every "
                f"text of the questionnaire needs its {_LANGUAGE_NAMES[lang]} text too"
                for key in questionnaire_missing(questionnaire, lang)
            )
    if problems:
        raise ConfigError(problems)

    return OrganisationConfig(
        name=org["name"],
        slug=slug,
        host=host,
        languages=",".join(str(x) for x in languages),
        name_in_sentence=org.get("name_in_sentence", ""),
        short_name=org.get("short_name", ""),
        year_start_month=month,
        year_start_day=day,
        disclosure_noun=org.get("disclosure_noun") or OrganisationConfig.disclosure_noun,
        report_title=org.get("report_title") or OrganisationConfig.report_title,
        functions=org.get("functions", ""),
        policy_url=org.get("policy_url", ""),
        public_guidance=org.get("public_guidance", ""),
        policy_text=org.get("policy_text", ""),
        small_cell_threshold=threshold,
        legal=legal,
        services=[
            ServiceConfig(
                label=s["label"],
                phrase=s.get("phrase", ""),
                description=s.get("description", ""),
                translations=t,
            )
            for s, t in zip(services, service_translations, strict=True)
        ],
        outcomes=[
            OutcomeConfig(
                label=o["label"],
                further_action=o["further_action"],
                whistleblower_text=o.get("whistleblower_text", ""),
                translations=t,
            )
            for o, t in zip(outcomes, outcome_translations, strict=True)
        ],
        years=[
            YearConfig(
                year=y["year"],
                impact=y.get("impact", ""),
                further_action_example=y.get("further_action_example", ""),
                no_further_action_example=y.get("no_further_action_example", ""),
                translations=t,
            )
            for y, t in zip(years, year_translations, strict=True)
        ],
        wording=templates,
        questionnaire=questionnaire,
        followup=followup,
        translations=org_translations,
    )


def read_config(path: str | Path) -> tuple[OrganisationConfig, bytes]:
    """Read and check a configuration file; returns the config and the file's bytes."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError([f"cannot read {path}: {exc.strerror}"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError([f"line {line}: the file is not UTF-8 text"]) from None
    return parse_config(text), raw
