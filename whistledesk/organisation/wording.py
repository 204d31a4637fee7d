"""The annual report's configurable sentences: templates with a whitelist of placeholders.

The sentences that are not pure statistics (the comparison with the year before, the
largest categories, the closing sentence on disclosures taken no further) differ between
prescribed persons, so each organisation stores its own wording. A template is plain text
with `str.format`-style named placeholders, e.g. "{count} disclosures were closed without
further action.". Only the placeholders listed for that template are accepted; attribute or
index access, conversions (`!r`) and format specs (`:>10`) are refused, and templates are
filled by our own substitution loop, never by `str.format`, so a template cannot reach
anything but the few strings we hand it. A literal brace is written `{{` or `}}`.

Placeholders (every value is already-formatted text):

- ``{organisation}``: the organisation as written in a sentence (``name_in_sentence``);
- ``{short_name}``: the short name, or the sentence name when there is none;
- ``{year}``: the reporting year, "2022/23" (or "2022" for a calendar year);
- ``{noun}``: what the report calls a disclosure, e.g. "whistle-blowing concerns";
- ``{count}``: the figure the sentence is about, "1,234";
- ``{previous_count}``, ``{previous_year}``: the year before ("none" when it had none);
- ``{category}`` / ``{categories}``: a category's phrase / the tied categories' phrases.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_COMMON = frozenset({"organisation", "short_name", "year", "noun"})
_COMPARISON = _COMMON | {"count", "previous_count", "previous_year"}
# Longest template accepted (model field length and TOML check).
MAX_LENGTH = 400


@dataclass(frozen=True)
class Template:
    key: str
    default: str
    placeholders: frozenset[str]
    help: str


TEMPLATES: tuple[Template, ...] = (
    Template(
        "comparison_increase",
        "this is an increase from the year before when {short_name} received {previous_count}",
        _COMPARISON,
        "Follows 'During {year} ... received N ...;' when there were more than the year before.",
    ),
    Template(
        "comparison_decrease",
        "this is a decrease from the year before when {short_name} received {previous_count}",
        _COMPARISON,
        "As above, when there were fewer than the year before.",
    ),
    Template(
        "comparison_same",
        "this is the same as the year before when {short_name} also received {previous_count}",
        _COMPARISON,
        "As above, when there were as many as the year before.",
    ),
    Template(
        "comparison_none",
        "there is no figure for the year before to compare with",
        _COMPARISON,
        "As above, when nothing at all was recorded before this year.",
    ),
    Template(
        "largest_category",
        "The largest category this year has been disclosures relating to {category}.",
        _COMMON | {"category", "count"},
        "The category with the most disclosures.",
    ),
    Template(
        "largest_categories_tied",
        "The largest categories this year, with {count} each, have been disclosures "
        "relating to {categories}.",
        _COMMON | {"categories", "count"},
        "When several categories share the most disclosures ({count} is each one's figure).",
    ),
    Template(
        "second_largest_category",
        "The second largest category related to {category}.",
        _COMMON | {"category", "count"},
        "The category with the second most disclosures.",
    ),
    Template(
        "no_further_action",
        "{count} disclosures were closed without further action.",
        _COMMON | {"count"},
        "Qualifying disclosures decided with no further action (2 or more).",
    ),
    Template(
        "no_further_action_one",
        "1 disclosure was closed without further action.",
        _COMMON | {"count"},
        "As above, when there was exactly one.",
    ),
    Template(
        "no_further_action_none",
        "No disclosures were closed without further action.",
        _COMMON | {"count"},
        "As above, when there were none.",
    ),
)
BY_KEY: dict[str, Template] = {t.key: t for t in TEMPLATES}
DEFAULTS: dict[str, str] = {t.key: t.default for t in TEMPLATES}


def _braced(names: frozenset[str] | set[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(names))


def template_problems(key: str, text: str) -> list[str]:
    """Why `text` cannot be the template `key` (empty when it can)."""
    return placeholder_problems(BY_KEY[key].placeholders, text)


def placeholder_problems(allowed: frozenset[str], text: str) -> list[str]:
    """Why `text` is not a template using only the placeholders `allowed`."""
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError as exc:
        return [f"{exc} (write {{{{ or }}}} for a literal brace)"]
    problems: list[str] = []
    for _literal, name, spec, conversion in pieces:
        if name is None:
            continue
        if name == "" or name.isdigit():
            problems.append(f"name the placeholder: use one of {_braced(allowed)}")
        elif name not in allowed:
            problems.append(f"unknown placeholder {{{name}}} (allowed: {_braced(allowed)})")
        elif spec or conversion:
            problems.append(f"write {{{name}}} with nothing after the name")
    return problems


@deconstructible
class TemplateValidator:
    """Model-field validator, so the admin refuses what the configuration file refuses."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, value: str) -> None:
        problems = template_problems(self.key, value)
        if problems:
            raise ValidationError(problems)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, TemplateValidator) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


def fill(key: str, template: str, values: dict[str, str]) -> str:
    """The sentence: `template` with its placeholders replaced by `values`.

    A template that was never checked (written straight into the database) and turns out
    bad falls back to the default wording rather than breaking the report.
    """
    if not template or template_problems(key, template):
        template = DEFAULTS[key]
    out: list[str] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)
