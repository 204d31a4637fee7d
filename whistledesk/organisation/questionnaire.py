"""An organisation's public questionnaire as data: its pages, questions, branching and texts.

A questionnaire is a plain document (TOML's `[questionnaire]` table, or the same as JSON) that
`questionnaire_parse` checks and turns into frozen dataclasses. Nothing here touches the
database: storing versions is `questionnaire_services`, walking the pages is `intake.flow`.

The shape:

- `pages`, in order. A page is one of:
  - `questions` (the default): one or more questions; one question a page is the GOV.UK
    pattern and the usual case. Its `title` is the page heading when it has several.
  - `info`: a page of configured text with a Continue button (the emergency page).
  - `identity`, `files`, `check`: the fixed parts every questionnaire keeps, once each and
    never conditional. `identity` is the anonymous / confidential / open choice, followed by
    the contact details page when a name is given; `check` (check your answers) is last.
- A page may apply only `show_if` an earlier question has one of some answers (branching:
  the emergency page after "yes, someone is at immediate risk"), and only for some `services`
  (labels of the organisation's service categories).
- A question has an `id` (its answer's key), a `kind` (short_text, long_text, one_choice,
  several_choices, date, yes_no, service), a `label`, a `hint`, `required` (default true),
  `max_length` for text, `options` for choices, an `error` message, and `urgent_when`: the
  answers that mark the case urgent and open a safeguarding concern (docs/adr/0007).
  One long_text question is the `narrative` (sealed as the account itself); at most one
  short_text is the `setting` name, kept in clear so staff can link concerns (ADR 0002).
- `texts`: the start page, "how the law protects you" with the organisation's prescribed
  matters, the receipt page's "what happens next". Every text has a sound default.

Conditions may only look back (at a question on an earlier page), so a questionnaire cannot
loop; the checks below say what to fix for anything that would stop a person finishing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.texts import questionnaire_localised

TEXT_MAX = 10_000
SHORT_DEFAULT_MAX = 200
LONG_DEFAULT_MAX = 10_000
MAX_PAGES = 60
MAX_OPTIONS = 40

KINDS = (
    "short_text",
    "long_text",
    "one_choice",
    "several_choices",
    "date",
    "yes_no",
    "service",
)
PAGE_KINDS = ("questions", "info", "identity", "files", "check")
FIXED = ("identity", "files", "check")
# Answer keys and page slugs the fixed parts use: a configured question may not take them.
RESERVED_IDS = {"identity", "name", "email", "phone", "contact_how", "files_done"}
RESERVED_SLUGS = {"contact", "sent"}
NOT_SURE = "not_sure"
YES_NO = (("yes", "Yes"), ("no", "No"))
# The fixed answers of a yes/no question in each language a questionnaire is read in.
YES_NO_BY_LANGUAGE = {"en": YES_NO, "cy": (("yes", "Ie"), ("no", "Na"))}

_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_SLUG = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}$")


class QuestionnaireError(DomainError):
    """A questionnaire that cannot be used; `problems` says what to fix, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    label: str
    hint: str = ""
    required: bool = True
    max_length: int = 0
    options: tuple[Option, ...] = ()
    error: str = ""
    urgent_when: tuple[str, ...] = ()
    narrative: bool = False
    setting: bool = False
    # A short label for the check-answers row (default: the label).
    summary: str = ""
    too_long: str = ""

    @property
    def row_label(self) -> str:
        return self.summary or self.label

    def option_label(self, value: str) -> str:
        for o in self.options:
            if o.value == value:
                return o.label
        return ""


@dataclass(frozen=True)
class Condition:
    question: str
    any_of: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    slug: str
    kind: str = "questions"
    title: str = ""
    questions: tuple[Question, ...] = ()
    show_if: Condition | None = None
    services: tuple[str, ...] = ()
    # info pages
    warning: str = ""
    body: str = ""
    button: str = ""
    # The check-answers label of a page of several questions (default: its title).
    summary: str = ""

    @property
    def heading(self) -> str:
        if self.title:
            return self.title
        return self.questions[0].label if self.questions else ""


DEFAULT_TEXTS: dict[str, str] = {
    "start_title": "Tell us about a concern at work (whistleblowing)",
    # Inline Markdown in the start page's warning box; "" shows no warning.
    "start_warning": "If someone is in immediate danger, call [999](tel:999) now.",
    "start_intro": (
        "Use this service if you are worried about wrongdoing at work that we deal with.\n\n"
        "You can use it at any time. It takes about 15 minutes. You can tell us who you "
        "are, or stay anonymous."
    ),
    # Completes "<name> is a "prescribed person" for ...".
    "prescribed_matters": "the matters listed for us in the Public Interest Disclosure "
    "(Prescribed Persons) Order 2014",
    "law_protects": (
        "The Public Interest Disclosure Act 1998 protects workers who report wrongdoing in "
        'the public interest. This is called making a "protected disclosure". If you are a '
        "worker, you should not be dismissed or treated badly because you made one."
    ),
    "law_advice": (
        "We cannot give you legal advice or act for you in an employment dispute. Protect, "
        "the whistleblowing charity, gives free confidential advice."
    ),
    "what_happens_next": (
        "We will acknowledge your disclosure within 7 days and aim to tell you what we are "
        "doing within 3 months. We may pass your concern to the body that can act on it."
    ),
    "receipt_next": (
        "We will read your disclosure and acknowledge it within 7 days. Use your receipt to "
        "[sign in to your follow-up inbox](/follow-up/): you can see when we have read it, "
        "answer our questions and add information or files."
    ),
    "receipt_more": "",
}
# The same in Welsh, for a Welsh page whose questionnaire leaves a text out.
DEFAULT_TEXTS_CY: dict[str, str] = {
    "start_title": "Dweud wrthym am bryder yn y gwaith (chwythu'r chwiban)",
    "start_warning": "Os oes rhywun mewn perygl uniongyrchol, ffoniwch [999](tel:999) nawr.",
    "start_intro": (
        "Defnyddiwch y gwasanaeth hwn os ydych yn poeni am gamwedd yn y gwaith yr ydym yn "
        "delio ag ef.\n\n"
        "Gallwch ei ddefnyddio ar unrhyw adeg. Mae'n cymryd tua 15 munud. Gallwch ddweud "
        "wrthym pwy ydych chi, neu aros yn ddienw."
    ),
    "prescribed_matters": "y materion a restrir ar ein cyfer yng Ngorchymyn Datgelu er Budd "
    "y Cyhoedd (Personau Rhagnodedig) 2014",
    "law_protects": (
        "Mae Deddf Datgelu er Budd y Cyhoedd 1998 yn diogelu gweithwyr sy'n rhoi gwybod am "
        'gamwedd er budd y cyhoedd. Gelwir hyn yn "datgeliad gwarchodedig". Os ydych yn '
        "weithiwr, ni ddylech gael eich diswyddo na'ch trin yn wael am i chi wneud un."
    ),
    "law_advice": (
        "Ni allwn roi cyngor cyfreithiol i chi na gweithredu ar eich rhan mewn anghydfod "
        "cyflogaeth. Mae Protect, yr elusen chwythu'r chwiban, yn rhoi cyngor cyfrinachol am "
        "ddim."
    ),
    "what_happens_next": (
        "Byddwn yn cydnabod eich datgeliad o fewn 7 diwrnod ac yn anelu at ddweud wrthych "
        "beth rydym yn ei wneud o fewn 3 mis. Efallai y byddwn yn trosglwyddo'ch pryder i'r "
        "corff a all weithredu arno."
    ),
    "receipt_next": (
        "Byddwn yn darllen eich datgeliad ac yn ei gydnabod o fewn 7 diwrnod. Defnyddiwch "
        "eich derbynneb i [fewngofnodi i'ch blwch dilynol](/cy/follow-up/): gallwch weld pan "
        "fyddwn wedi'i ddarllen, ateb ein cwestiynau ac ychwanegu gwybodaeth neu ffeiliau."
    ),
    "receipt_more": "",
}
DEFAULT_TEXTS_BY_LANGUAGE: dict[str, dict[str, str]] = {"en": DEFAULT_TEXTS, "cy": DEFAULT_TEXTS_CY}
# Languages a questionnaire's texts may be written in beside English (`label_cy`, ...).
OTHER_LANGUAGES = ("cy",)


@dataclass(frozen=True)
class Questionnaire:
    pages: tuple[Page, ...]
    texts: dict[str, str] = field(default_factory=dict)
    # The language its texts are in (organisation/texts.py localises the document).
    language: str = "en"

    def all_texts(self) -> dict[str, str]:
        """Every configured text, defaults for those left out ("" stays empty on purpose)."""
        defaults = DEFAULT_TEXTS_BY_LANGUAGE.get(self.language, DEFAULT_TEXTS)
        return {key: self.texts.get(key, default) for key, default in defaults.items()}

    def questions(self) -> list[Question]:
        return [q for p in self.pages for q in p.questions]

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions() if q.id == qid), None)

    def page(self, slug: str) -> Page | None:
        return next((p for p in self.pages if p.slug == slug), None)

    def fixed(self, kind: str) -> Page:
        return next(p for p in self.pages if p.kind == kind)

    @property
    def narrative(self) -> Question:
        return next(q for q in self.questions() if q.narrative)

    @property
    def setting(self) -> Question | None:
        return next((q for q in self.questions() if q.setting), None)

    @property
    def service(self) -> Question | None:
        return next((q for q in self.questions() if q.kind == "service"), None)


# --- checking ------------------------------------------------------------------------------


def _with_translations(keys: set[str], texts: tuple[str, ...]) -> set[str]:
    return keys | {f"{key}_{lang}" for key in texts for lang in OTHER_LANGUAGES}


_Q_KEYS = {
    "id",
    "kind",
    "label",
    "hint",
    "required",
    "max_length",
    "options",
    "error",
    "urgent_when",
    "narrative",
    "setting",
    "summary",
    "too_long",
}
_Q_KEYS = _with_translations(_Q_KEYS, ("label", "hint", "error", "summary", "too_long"))
_P_KEYS = {
    "slug",
    "kind",
    "title",
    "questions",
    "show_if",
    "services",
    "warning",
    "body",
    "button",
    "summary",
}
_P_KEYS = _with_translations(_P_KEYS, ("title", "warning", "body", "button", "summary"))
_O_KEYS = _with_translations({"value", "label", "hint"}, ("label", "hint"))


def _str(value: Any, where: str, problems: list[str], *, required: bool = False) -> str:
    if value is None:
        if required:
            problems.append(f"{where} is missing")
        return ""
    if not isinstance(value, str):
        problems.append(f"{where} must be text")
        return ""
    if len(value) > TEXT_MAX:
        problems.append(f"{where} is longer than {TEXT_MAX:,} characters")
        return ""
    if required and not value.strip():
        problems.append(f"{where} is empty")
    return value


def _unknown(table: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in table:
        if key not in allowed:
            problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")


def _options(raw: Any, where: str, problems: list[str]) -> tuple[Option, ...]:
    if not isinstance(raw, list):
        problems.append(f"{where}.options must be a list of {{ value, label }} tables")
        return ()
    out: list[Option] = []
    for i, o in enumerate(raw, start=1):
        at = f"{where}.options[{i}]"
        if not isinstance(o, dict):
            problems.append(f"{at} must be a table with value and label")
            continue
        _unknown(o, _O_KEYS, at, problems)
        value = _str(o.get("value"), f"{at}.value", problems, required=True)
        if value and (not _VALUE.match(value) or value == NOT_SURE):
            problems.append(
                f"{at}.value {value!r}: use letters, digits, '_', '-' or '+' (up to 40), "
                f"not {NOT_SURE!r}"
            )
        out.append(
            Option(
                value=value,
                label=_str(o.get("label"), f"{at}.label", problems, required=True),
                hint=_str(o.get("hint"), f"{at}.hint", problems),
            )
        )
    values = [o.value for o in out]
    for v in sorted({v for v in values if values.count(v) > 1}):
        problems.append(f"{where}.options: value {v!r} appears twice")
    if len(out) > MAX_OPTIONS:
        problems.append(f"{where}.options: at most {MAX_OPTIONS} options")
    return tuple(out)


def _question(raw: Any, where: str, problems: list[str]) -> Question | None:
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a table")
        return None
    _unknown(raw, _Q_KEYS, where, problems)
    qid = _str(raw.get("id"), f"{where}.id", problems, required=True)
    if qid and not _ID.match(qid):
        problems.append(
            f"{where}.id {qid!r}: use lower-case letters, digits and '_', starting with a letter"
        )
    if qid in RESERVED_IDS:
        problems.append(f"{where}.id {qid!r} is kept for the fixed identity and files pages")
    kind = _str(raw.get("kind"), f"{where}.kind", problems, required=True)
    if kind and kind not in KINDS:
        problems.append(f"{where}.kind {kind!r} is not one of: {', '.join(KINDS)}")
    required = raw.get("required", True)
    if not isinstance(required, bool):
        problems.append(f"{where}.required must be true or false")
        required = True
    max_length = raw.get("max_length", 0)
    if kind in ("short_text", "long_text"):
        limit = SHORT_DEFAULT_MAX if kind == "short_text" else LONG_DEFAULT_MAX
        if max_length == 0:
            max_length = limit
        if isinstance(max_length, bool) or not isinstance(max_length, int):
            problems.append(f"{where}.max_length must be a whole number")
            max_length = limit
        elif not 1 <= max_length <= limit:
            problems.append(f"{where}.max_length must be between 1 and {limit:,} for {kind}")
    elif "max_length" in raw:
        problems.append(f"{where}.max_length only applies to short_text and long_text")
    options: tuple[Option, ...] = ()
    if kind in ("one_choice", "several_choices"):
        options = _options(raw.get("options"), where, problems)
        if not options:
            problems.append(f"{where}: a {kind} question needs at least one option")
    elif kind == "yes_no":
        options = tuple(Option(v, label) for v, label in YES_NO)
        if "options" in raw:
            problems.append(f"{where}: a yes_no question has the options Yes and No already")
    elif "options" in raw:
        problems.append(f"{where}.options only applies to choice questions")
    urgent = raw.get("urgent_when", [])
    if not isinstance(urgent, list) or not all(isinstance(u, str) for u in urgent):
        problems.append(f'{where}.urgent_when must be a list of answers, like ["yes"]')
        urgent = []
    if urgent and kind not in ("one_choice", "yes_no"):
        problems.append(f"{where}.urgent_when only applies to one_choice and yes_no questions")
    for u in urgent:
        if kind in ("one_choice", "yes_no") and u not in {o.value for o in options}:
            problems.append(f"{where}.urgent_when: {u!r} is not one of the question's options")
    flags = {}
    for flag, must in (("narrative", "long_text"), ("setting", "short_text")):
        value = raw.get(flag, False)
        if not isinstance(value, bool):
            problems.append(f"{where}.{flag} must be true or false")
            value = False
        if value and kind != must:
            problems.append(f"{where}.{flag} = true needs kind = {must!r}")
        if value and not required:
            problems.append(f"{where}.{flag} = true needs the question to be required")
        flags[flag] = value
    return Question(
        id=qid,
        kind=kind,
        label=_str(raw.get("label"), f"{where}.label", problems, required=True),
        hint=_str(raw.get("hint"), f"{where}.hint", problems),
        required=required,
        max_length=max_length if isinstance(max_length, int) else 0,
        options=options,
        error=_str(raw.get("error"), f"{where}.error", problems),
        urgent_when=tuple(urgent),
        narrative=flags["narrative"],
        setting=flags["setting"],
        summary=_str(raw.get("summary"), f"{where}.summary", problems),
        too_long=_str(raw.get("too_long"), f"{where}.too_long", problems),
    )


def _condition(raw: Any, where: str, problems: list[str]) -> Condition | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"question", "any_of"}:
        problems.append(f'{where}.show_if must be {{ question = "id", any_of = ["answer"] }}')
        return None
    any_of = raw.get("any_of")
    if not isinstance(any_of, list) or not any_of or not all(isinstance(a, str) for a in any_of):
        problems.append(f"{where}.show_if.any_of must list at least one answer")
        any_of = []
    return Condition(
        question=_str(raw.get("question"), f"{where}.show_if.question", problems, required=True),
        any_of=tuple(any_of),
    )


def _page(raw: Any, where: str, problems: list[str]) -> Page | None:
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a table")
        return None
    _unknown(raw, _P_KEYS, where, problems)
    kind = _str(raw.get("kind", "questions"), f"{where}.kind", problems)
    if kind not in PAGE_KINDS:
        problems.append(f"{where}.kind {kind!r} is not one of: {', '.join(PAGE_KINDS)}")
        return None
    default_slug = kind if kind in FIXED else None
    slug = _str(raw.get("slug", default_slug), f"{where}.slug", problems, required=True)
    if slug and not _SLUG.match(slug):
        problems.append(
            f"{where}.slug {slug!r}: use lower-case letters, digits and '-', starting with a letter"
        )
    if kind in ("files", "check") and slug != kind:
        problems.append(f"{where}: the {kind} page's slug must be {kind!r}")
    if slug in RESERVED_SLUGS or (kind not in ("files", "check") and slug in ("files", "check")):
        problems.append(f"{where}.slug {slug!r} is kept for a fixed page")
    questions: list[Question] = []
    raw_questions = raw.get("questions", [])
    if kind == "questions":
        if not isinstance(raw_questions, list) or not raw_questions:
            problems.append(f"{where} ({slug}) has no questions: add at least one")
            raw_questions = []
        for i, q in enumerate(raw_questions, start=1):
            question = _question(q, f"{where}.questions[{i}]", problems)
            if question is not None:
                questions.append(question)
        if len(questions) > 1 and not raw.get("title"):
            problems.append(f"{where} ({slug}) has several questions: give it a title")
    elif "questions" in raw:
        problems.append(f"{where} ({slug}): a {kind} page has no questions of its own")
    if kind == "info" and not raw.get("title"):
        problems.append(f"{where} ({slug}): an info page needs a title")
    services = raw.get("services", [])
    if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
        problems.append(f"{where}.services must be a list of service labels")
        services = []
    condition = _condition(raw.get("show_if"), where, problems)
    if kind in FIXED and (condition or services):
        problems.append(f"{where}: the {kind} page is always shown; remove show_if and services")
    return Page(
        slug=slug,
        kind=kind,
        title=_str(raw.get("title"), f"{where}.title", problems),
        questions=tuple(questions),
        show_if=condition,
        services=tuple(services),
        warning=_str(raw.get("warning"), f"{where}.warning", problems),
        body=_str(raw.get("body"), f"{where}.body", problems),
        button=_str(raw.get("button"), f"{where}.button", problems),
        summary=_str(raw.get("summary"), f"{where}.summary", problems),
    )


def _check_whole(q: Questionnaire, services: list[str] | None, problems: list[str]) -> None:
    slugs = [p.slug for p in q.pages]
    for s in sorted({s for s in slugs if slugs.count(s) > 1}):
        problems.append(f"page slug {s!r} appears twice: each page needs its own")
    ids = [x.id for x in q.questions()]
    for i in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"question id {i!r} appears twice: each question needs its own")
    for kind in FIXED:
        count = sum(p.kind == kind for p in q.pages)
        if count == 0:
            problems.append(
                f"the {kind} page is missing: add a page with kind = {kind!r} (it is a fixed "
                "part of every questionnaire)"
            )
        elif count > 1:
            problems.append(f"the {kind} page appears {count} times: keep one")
    if q.pages and q.pages[-1].kind != "check":
        problems.append("the check page (check your answers) must be the last page")
    narratives = [x for x in q.questions() if x.narrative]
    if len(narratives) != 1:
        problems.append(
            "mark exactly one long_text question with narrative = true (what happened); "
            f"found {len(narratives)}"
        )
    if sum(x.setting for x in q.questions()) > 1:
        problems.append("at most one question may have setting = true")
    if sum(x.kind == "service" for x in q.questions()) > 1:
        problems.append("at most one question may be of kind 'service'")
    for fixed_q in (*narratives, *(x for x in q.questions() if x.setting or x.kind == "service")):
        page = next(p for p in q.pages if fixed_q in p.questions)
        if page.show_if or page.services:
            problems.append(
                f"question {fixed_q.id!r} is asked of everyone: remove show_if and services "
                f"from page {page.slug!r}"
            )
    # Branching looks back only: a condition on the same or a later page is a loop.
    seen: dict[str, Question] = {}
    for page in q.pages:
        c = page.show_if
        if c is not None:
            target = seen.get(c.question)
            if target is None:
                if c.question in ids:
                    problems.append(
                        f"page {page.slug!r} depends on question {c.question!r}, which comes "
                        "on the same or a later page: conditions may only look back (that "
                        "would loop)"
                    )
                else:
                    problems.append(
                        f"page {page.slug!r}: show_if refers to an unknown question {c.question!r}"
                    )
            elif target.kind not in ("one_choice", "yes_no", "several_choices"):
                problems.append(
                    f"page {page.slug!r}: show_if needs a choice or yes_no question, and "
                    f"{c.question!r} is {target.kind}"
                )
            else:
                valid = {o.value for o in target.options}
                for v in c.any_of:
                    if v not in valid:
                        problems.append(
                            f"page {page.slug!r}: show_if answer {v!r} is not an option of "
                            f"{c.question!r} (options: {', '.join(sorted(valid))})"
                        )
        if page.services:
            if q.service is None or q.service.id not in seen:
                problems.append(
                    f"page {page.slug!r} is shown for some services, so a 'service' question "
                    "must come on an earlier page"
                )
            if services is not None:
                for label in page.services:
                    if label not in services:
                        problems.append(
                            f"page {page.slug!r}: {label!r} is not one of the organisation's "
                            f"services ({', '.join(services)})"
                        )
        for question in page.questions:
            seen[question.id] = question
    if len(q.pages) > MAX_PAGES:
        problems.append(f"a questionnaire has at most {MAX_PAGES} pages")


def _yes_no_in(page: Page, language: str) -> Page:
    answers = tuple(Option(v, label) for v, label in YES_NO_BY_LANGUAGE[language])
    questions = tuple(
        replace(q, options=answers) if q.kind == "yes_no" else q for q in page.questions
    )
    return replace(page, questions=questions)


def questionnaire_parse(
    data: Any, *, services: list[str] | None = None, language: str = "en"
) -> Questionnaire:
    """Check a questionnaire document. Raises QuestionnaireError listing every problem.

    `services`: the organisation's service labels, to check the pages shown only for some.
    `language`: the language to read its texts in (`label_cy` for "cy"; English where the
    document has none: organisation/texts.py checks that an enabled language has them all).
    """
    problems: list[str] = []
    if not isinstance(data, dict):
        raise QuestionnaireError(["the questionnaire must be a table with pages and texts"])
    if language not in DEFAULT_TEXTS_BY_LANGUAGE:
        language = "en"
    data = questionnaire_localised(data, language)
    _unknown(data, {"pages", "texts"}, "questionnaire", problems)
    texts_raw = data.get("texts", {})
    texts: dict[str, str] = {}
    if not isinstance(texts_raw, dict):
        problems.append("questionnaire.texts must be a table")
    else:
        _unknown(
            texts_raw,
            _with_translations(set(DEFAULT_TEXTS), tuple(DEFAULT_TEXTS)),
            "questionnaire.texts",
            problems,
        )
        for key in DEFAULT_TEXTS:
            if key in texts_raw:
                texts[key] = _str(texts_raw[key], f"questionnaire.texts.{key}", problems)
    raw_pages = data.get("pages")
    if not isinstance(raw_pages, list) or not raw_pages:
        problems.append("questionnaire.pages is missing: list the pages in order")
        raw_pages = []
    pages = [
        p
        for i, raw in enumerate(raw_pages, start=1)
        if (p := _page(raw, f"pages[{i}]", problems)) is not None
    ]
    if language != "en":
        pages = [_yes_no_in(page, language) for page in pages]
    questionnaire = Questionnaire(pages=tuple(pages), texts=texts, language=language)
    if not problems:
        _check_whole(questionnaire, services, problems)
    if problems:
        raise QuestionnaireError(problems)
    return questionnaire


# The questionnaire of an organisation that has not configured one: the same fixed parts and
# plain, sector-neutral questions.
DEFAULT_DOCUMENT: dict[str, Any] = tomllib.loads(
    (Path(__file__).parent / "default_questionnaire.toml").read_text(encoding="utf-8")
)
DEFAULT = questionnaire_parse(DEFAULT_DOCUMENT)
