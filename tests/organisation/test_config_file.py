"""Checking organisation configuration files: good files parse, bad ones are refused whole."""

from __future__ import annotations

import pytest

from whistledesk.organisation.config_file import ConfigError, parse_config, read_config

GOOD = """
[organisation]
name = "Example Regulator"
short_name = "ER"
year_start = "01-01"
functions = \"\"\"
First paragraph.

Second paragraph.
\"\"\"
policy_url = "https://example.org/whistleblowing"

[[services]]
label = "Schools"
phrase = "schools"
description = "Many concerns are about schools."

[[services]]
label = "Hospitals"

[[outcomes]]
label = "Referred"
further_action = true

[[outcomes]]
label = "No action"
further_action = false

[[years]]
year = 2023
impact = "Some impact."
"""

MINIMAL = """
[organisation]
name = "Minimal Body"
[[services]]
label = "Everything"
[[outcomes]]
label = "Done"
further_action = true
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    return caught.value.problems


def test_a_complete_file_is_read_in_order() -> None:
    config = parse_config(GOOD)
    assert config.name == "Example Regulator"
    assert (config.year_start_month, config.year_start_day) == (1, 1)
    assert config.functions == "First paragraph.\n\nSecond paragraph."
    assert [s.label for s in config.services] == ["Schools", "Hospitals"]
    assert config.services[0].phrase == "schools"
    assert [(o.label, o.further_action) for o in config.outcomes] == [
        ("Referred", True),
        ("No action", False),
    ]
    assert config.years[0].year == 2023


def test_optional_keys_take_the_defaults() -> None:
    config = parse_config(MINIMAL)
    assert (config.year_start_month, config.year_start_day) == (4, 1)
    assert config.disclosure_noun == "whistleblowing disclosures"
    assert config.report_title == "Whistleblowing Disclosures"
    assert config.short_name == ""
    assert config.years == []


def test_a_syntax_error_names_the_toml_line() -> None:
    text = MINIMAL.replace('label = "Everything"', "label = Everything")
    (problem,) = problems_of(text)
    assert "not valid TOML" in problem
    assert "line 5" in problem


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('name = "Minimal Body"', 'nmae = "Minimal Body"'), "organisation: unknown key 'nmae'"),
        (
            ('name = "Minimal Body"', 'name = "Minimal Body"\nyear_start = 401'),
            "year_start must be a string",
        ),
        (('name = "Minimal Body"', 'name = ""'), "organisation.name is empty"),
        (('name = "Minimal Body"', ""), "organisation.name is missing"),
        (
            ("further_action = true", 'further_action = "yes"'),
            "outcomes[1].further_action must be true or false",
        ),
        (("further_action = true", ""), "outcomes[1].further_action is missing"),
        (
            ('label = "Everything"', 'label = "Everything"\ncolour = "red"'),
            "services[1]: unknown key 'colour'",
        ),
        (("[organisation]", "[organisation]\n[extra]\n[organisation2]"), "unknown key 'extra'"),
        (
            ('name = "Minimal Body"', 'name = "Minimal Body"\nyear_start = "02-29"'),
            "organisation.year_start: year start 02-29",
        ),
        (('name = "Minimal Body"', 'name = "Minimal Body"\nyear_start = "4/1"'), "must be MM-DD"),
        (
            ('name = "Minimal Body"', 'name = "Minimal Body"\nyear_start = "13-01"'),
            "organisation.year_start: year start 13-01",
        ),
        (
            ('name = "Minimal Body"', 'name = "Minimal Body"\npolicy_url = "not a url"'),
            "policy_url must be a web address",
        ),
        (
            ('name = "Minimal Body"', 'name = "' + "x" * 201 + '"'),
            "organisation.name is 201 characters long",
        ),
        (('[[services]]\nlabel = "Everything"', ""), "no [[services]]"),
    ],
)
def test_a_bad_key_is_named(change: tuple[str, str], expected: str) -> None:
    problems = problems_of(MINIMAL.replace(*change, 1))
    assert any(expected in p for p in problems), problems


def test_services_written_as_a_plain_key_are_refused() -> None:
    text = 'services = "Everything"\n' + MINIMAL.replace('[[services]]\nlabel = "Everything"', "")
    assert "services must be an array of tables: write [[services]] before each entry" in (
        problems_of(text)
    )


def test_duplicate_labels_are_refused_ignoring_case() -> None:
    text = MINIMAL + '\n[[services]]\nlabel = "everything"\n'
    (problem,) = problems_of(text)
    assert problem == (
        "services[2].label 'everything' repeats services[1].label: labels must be unique"
    )


def test_duplicate_years_are_refused() -> None:
    text = MINIMAL + "\n[[years]]\nyear = 2022\n[[years]]\nyear = 2022\n"
    assert problems_of(text) == ["years[2].year 2022 appears twice"]


def test_every_problem_is_listed_at_once() -> None:
    text = MINIMAL.replace('name = "Minimal Body"', 'year_start = "99-99"').replace(
        "further_action = true", "further_action = 1"
    )
    problems = problems_of(text)
    assert len(problems) == 3, problems


def test_read_config_refuses_a_missing_or_non_utf8_file(tmp_path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        read_config(tmp_path / "nope.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(MINIMAL.replace("Minimal", "Mínimal").encode("latin-1"))
    with pytest.raises(ConfigError, match="line 3: the file is not UTF-8"):
        read_config(latin)


WORDED = (
    MINIMAL.replace(
        'name = "Minimal Body"',
        'name = "Care Quality Commission"\nname_in_sentence = "the Care Quality Commission"',
    )
    + """
[wording]
no_further_action = "{organisation} closed {count} {noun} after advice alone."
largest_category = "Most disclosures in {year} were about {category}."
"""
)


def test_wording_and_the_name_in_a_sentence_are_read() -> None:
    config = parse_config(WORDED)
    assert config.name_in_sentence == "the Care Quality Commission"
    assert config.wording["no_further_action"] == (
        "{organisation} closed {count} {noun} after advice alone."
    )
    assert config.wording["largest_category"] == "Most disclosures in {year} were about {category}."
    # Keys left out take the neutral default.
    assert config.wording["no_further_action_one"] == (
        "1 disclosure was closed without further action."
    )


def test_without_wording_every_sentence_takes_the_neutral_default() -> None:
    config = parse_config(MINIMAL)
    assert config.name_in_sentence == ""
    assert config.wording["no_further_action"] == (
        "{count} disclosures were closed without further action."
    )
    assert "referral" not in " ".join(config.wording.values())


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            'no_further_action = "{total} were closed."',
            "wording.no_further_action: unknown placeholder {total} (allowed: {count}, {noun}, "
            "{organisation}, {short_name}, {year})",
        ),
        (
            'second_largest_category = "Then {categories}."',
            "wording.second_largest_category: unknown placeholder {categories}",
        ),
        (
            'comparison_same = "as before ({previous_count)"',
            "wording.comparison_same: expected '}' before end of string "
            "(write {{ or }} for a literal brace)",
        ),
        (
            'comparison_none = "none before}"',
            "wording.comparison_none: Single '}' encountered",
        ),
        (
            'largest_category = "{category.__class__}"',
            "wording.largest_category: unknown placeholder {category.__class__}",
        ),
        ('largest_category = "{0}"', "wording.largest_category: name the placeholder"),
        ("largest_category = 3", "wording.largest_category must be a string"),
        ('closing = "Thanks."', "wording: unknown key 'closing'"),
        (
            'no_further_action = "' + "x" * 401 + '"',
            "wording.no_further_action is 401 characters long; the most is 400",
        ),
    ],
)
def test_a_bad_template_is_refused_naming_its_key(line: str, expected: str) -> None:
    problems = problems_of(MINIMAL + "\n[wording]\n" + line + "\n")
    assert any(p.startswith(expected) for p in problems), problems


def test_every_bad_template_is_listed_at_once() -> None:
    text = MINIMAL + '\n[wording]\nlargest_category = "{x}"\nno_further_action = "{y"\n'
    problems = problems_of(text)
    assert len(problems) == 2, problems


def test_wording_must_be_a_table() -> None:
    text = 'wording = "plain"\n' + MINIMAL
    assert "wording must be a table" in problems_of(text)


def test_the_shipped_configuration_carries_the_seed_wording() -> None:
    from pathlib import Path

    import whistledesk.organisation

    cco = Path(whistledesk.organisation.__file__).parent / "configs" / "childrens_commissioner.toml"
    config = read_config(cco)[0]
    assert config.name_in_sentence == "the Children's Commissioner's Office"
    assert config.wording["no_further_action"] == (
        "There were {count} referrals that ended in no action beyond advice."
    )
    assert config.wording["comparison_increase"] == (
        "this is an increase from the year before when {short_name} received {previous_count}"
    )
