"""An organisation's configured texts in each of its languages: the one place that decides
which text a person is shown (docs/adr/0018-texts.md).

English is stored in the model fields themselves; every other language in the row's
`translations` JSON field, `{"cy": {"field": "text"}}`. The questionnaire document carries
its Welsh beside the English (`label_cy`, `hint_cy`, ...; see `questionnaire_localised`).

`localised(obj, "field")` is the accessor: the active language (Django's
`translation.get_language()`) unless one is given; English for a language the organisation
does not enable; for an enabled language its own text, or the shipped Welsh default of a
template (report wording, follow-up messages), never English. The configuration checks
(`missing_texts`, config_file.py, the staff pages) refuse an enabled language with a text
missing, so a Welsh page is Welsh throughout.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from whistledesk.organisation import followup_wording, wording

# The configured texts of each model that the public, a whistleblower or the report shows.
ORGANISATION_FIELDS: tuple[str, ...] = (
    "name",
    "name_in_sentence",
    "short_name",
    "disclosure_noun",
    "report_title",
    "functions_text",
    "public_guidance",
    "policy_text",
    "privacy_lawful_basis",
    "privacy_recipients",
    "privacy_retention",
    "privacy_more",
    "accessibility_problems",
    "accessibility_method",
    *(f"wording_{key}" for key in wording.DEFAULTS),
    *(f"followup_{kind}" for kind in followup_wording.DEFAULTS),
)
SERVICE_FIELDS: tuple[str, ...] = ("label", "report_phrase", "report_description")
OUTCOME_FIELDS: tuple[str, ...] = ("label", "whistleblower_text")
YEAR_FIELDS: tuple[str, ...] = (
    "impact_text",
    "further_action_example",
    "no_further_action_example",
)

# The shipped templates in Welsh: a template left to its English default takes these.
WORDING_DEFAULTS_CY: dict[str, str] = {
    "comparison_increase": "mae hyn yn gynnydd ers y flwyddyn flaenorol pan gafodd "
    "{short_name} {previous_count}",
    "comparison_decrease": "mae hyn yn ostyngiad ers y flwyddyn flaenorol pan gafodd "
    "{short_name} {previous_count}",
    "comparison_same": "mae hyn yr un fath â'r flwyddyn flaenorol pan gafodd {short_name} "
    "{previous_count} hefyd",
    "comparison_none": "nid oes ffigur ar gyfer y flwyddyn flaenorol i'w gymharu",
    "largest_category": "Y categori mwyaf eleni fu datgeliadau'n ymwneud â {category}.",
    "largest_categories_tied": "Y categorïau mwyaf eleni, gyda {count} yr un, fu "
    "datgeliadau'n ymwneud â {categories}.",
    "second_largest_category": "Roedd yr ail gategori mwyaf yn ymwneud â {category}.",
    "no_further_action": "Caewyd {count} o ddatgeliadau heb gamau pellach.",
    "no_further_action_one": "Caewyd 1 datgeliad heb gamau pellach.",
    "no_further_action_none": "Ni chaewyd unrhyw ddatgeliadau heb gamau pellach.",
}
FOLLOWUP_DEFAULTS_CY: dict[str, str] = {
    "acknowledgement": "Rydym wedi cael eich datgeliad {reference} ac mae aelod o'n staff "
    "yn edrych arno. Byddwn yn dweud wrthych beth rydym yn ei wneud amdano erbyn "
    "{feedback_due}. Efallai y byddwn yn cysylltu â chi gyda chwestiynau. Os oes gennych "
    "dderbynneb, edrychwch yn eich blwch dilynol gyda hi.",
    "feedback": "Dyma ddiweddariad ar eich datgeliad {reference}, a gawsom ar "
    "{received_on}.\n\n"
    "Yr hyn rydym wedi'i wneud hyd yma: \n\n"
    "Byddwn yn dweud wrthych pan fyddwn wedi gorffen ein gwaith. Diolch am ddweud wrthym.",
    "outcome": "Rydym wedi gorffen ein gwaith ar eich datgeliad {reference}, a gawsom ar "
    "{received_on}.\n\n"
    "Yr hyn a wnaethom: {outcome}\n\n"
    "Diolch am ddweud wrthym. Os oes gennych gwestiynau, cysylltwch â {organisation} a "
    "rhowch y cyfeirnod {reference}.",
}
DEFAULTS_BY_LANGUAGE: dict[str, dict[str, str]] = {
    "cy": {
        **{f"wording_{k}": v for k, v in WORDING_DEFAULTS_CY.items()},
        **{f"followup_{k}": v for k, v in FOLLOWUP_DEFAULTS_CY.items()},
    }
}


def active_language() -> str:
    """The active language's code without a region ("cy", "en")."""
    return (translation.get_language() or "en").split("-")[0].lower()


def _organisation_of(obj: Any) -> Any:
    return obj if hasattr(obj, "language_codes") else obj.organisation


def shown_language(organisation: Any, language: str | None = None) -> str:
    """The language an organisation's texts are shown in: `language` (default: the active
    one) when the organisation enables it, else English."""
    lang = (language or active_language()).split("-")[0].lower()
    return lang if lang in organisation.language_codes else "en"


def localised(
    obj: Any, field: str, language: str | None = None, *, organisation: Any = None
) -> str:
    """The text of `obj.field` in `language` (default: the active language).

    `organisation`: the row's organisation when the caller has it (saves a query per row).
    """
    english: str = getattr(obj, field)
    lang = shown_language(organisation or _organisation_of(obj), language)
    if lang == "en":
        return english
    text = ((obj.translations or {}).get(lang) or {}).get(field, "")
    if text:
        return str(text)
    if not english.strip():
        return english  # blank in English (a default page section): blank in every language
    return DEFAULTS_BY_LANGUAGE.get(lang, {}).get(field, "")


def set_translation(obj: Any, language: str, field: str, text: str) -> None:
    """Store `text` as `obj.field` in `language` (the caller saves the row)."""
    translations = dict(obj.translations or {})
    texts = dict(translations.get(language) or {})
    if text:
        texts[field] = text
    else:
        texts.pop(field, None)
    translations[language] = texts
    obj.translations = translations


def missing_texts(
    english: dict[str, str], translated: dict[str, str], *, defaults: dict[str, str] | None = None
) -> list[str]:
    """The keys whose English text is written and whose translation is not (a key with a
    shipped default in the language may be left out)."""
    defaults = defaults or {}
    return [
        key
        for key, text in english.items()
        if text.strip() and not (translated.get(key) or "").strip() and key not in defaults
    ]


# --- the questionnaire ---------------------------------------------------------------------

# The text keys of the questionnaire document, by where they are (questionnaire.py).
QUESTION_TEXT_KEYS = ("label", "hint", "error", "summary", "too_long")
OPTION_TEXT_KEYS = ("label", "hint")
PAGE_TEXT_KEYS = ("title", "warning", "body", "button", "summary")


def _localise_table(table: dict[str, Any], keys: tuple[str, ...], language: str) -> dict[str, Any]:
    out = dict(table)
    for key in keys:
        translated = table.get(f"{key}_{language}")
        if isinstance(translated, str) and translated.strip():
            out[key] = translated
    return out


def questionnaire_localised(document: Any, language: str) -> Any:
    """The questionnaire document with each text in `language` where it has one
    (`label_cy` replaces `label`, ...). English, or a malformed document, comes back as is:
    questionnaire_parse reports what is wrong with it."""
    if language == "en" or not isinstance(document, dict):
        return document
    out = dict(document)
    texts = document.get("texts")
    if isinstance(texts, dict):
        out["texts"] = {
            key: value
            for key, value in _localise_table(texts, tuple(texts), language).items()
            if not key.endswith(f"_{language}")
        }
    pages = document.get("pages")
    if isinstance(pages, list):
        out["pages"] = [_localise_page(p, language) for p in pages]
    return out


def _localise_page(page: Any, language: str) -> Any:
    if not isinstance(page, dict):
        return page
    out = _localise_table(page, PAGE_TEXT_KEYS, language)
    questions = page.get("questions")
    if isinstance(questions, list):
        out["questions"] = [_localise_question(q, language) for q in questions]
    return out


def _localise_question(question: Any, language: str) -> Any:
    if not isinstance(question, dict):
        return question
    out = _localise_table(question, QUESTION_TEXT_KEYS, language)
    options = question.get("options")
    if isinstance(options, list):
        out["options"] = [
            _localise_table(o, OPTION_TEXT_KEYS, language) if isinstance(o, dict) else o
            for o in options
        ]
    return out


def questionnaire_missing(document: Any, language: str) -> list[str]:
    """Where the questionnaire document has an English text and no text in `language`, as
    keys a person can find in their file ("questionnaire.pages[1].questions[1].label_cy").
    A start or receipt text left out takes the shipped one in each language."""
    if not isinstance(document, dict):
        return []
    missing: list[str] = []
    suffix = f"_{language}"
    texts = document.get("texts") or {}
    if isinstance(texts, dict):
        for key, value in texts.items():
            if key.endswith(suffix) or not isinstance(value, str) or not value.strip():
                continue
            if not str(texts.get(key + suffix) or "").strip():
                missing.append(f"questionnaire.texts.{key}{suffix}")

    def check(table: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
        for key in keys:
            value = table.get(key)
            written = isinstance(value, str) and value.strip()
            if written and not str(table.get(key + suffix) or "").strip():
                missing.append(f"{where}.{key}{suffix}")

    for i, page in enumerate(document.get("pages") or [], start=1):
        if not isinstance(page, dict):
            continue
        check(page, PAGE_TEXT_KEYS, f"questionnaire.pages[{i}]")
        for j, question in enumerate(page.get("questions") or [], start=1):
            if not isinstance(question, dict):
                continue
            at = f"questionnaire.pages[{i}].questions[{j}]"
            check(question, QUESTION_TEXT_KEYS, at)
            for k, option in enumerate(question.get("options") or [], start=1):
                if isinstance(option, dict):
                    check(option, OPTION_TEXT_KEYS, f"{at}.options[{k}]")
    return missing
