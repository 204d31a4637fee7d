"""Report sentence templates: only whitelisted placeholders, filled without str.format."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from whistledesk.organisation import wording
from whistledesk.organisation.models import Organisation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{total} were closed.", "unknown placeholder {total} (allowed: {count}, {noun}"),
        ("{category} was largest.", "unknown placeholder {category}"),
        ("{count.__class__} ...", "unknown placeholder {count.__class__}"),
        ("{count[0]} ...", "unknown placeholder {count[0]}"),
        ("{} were closed.", "name the placeholder"),
        ("{0} were closed.", "name the placeholder"),
        ("{count!r} were closed.", "write {count} with nothing after the name"),
        ("{count:>10} were closed.", "write {count} with nothing after the name"),
        ("{count were closed.", "expected '}' before end of string"),
        ("count} were closed.", "Single '}' encountered"),
    ],
)
def test_bad_templates_are_refused_with_the_reason(text: str, expected: str) -> None:
    problems = wording.template_problems("no_further_action", text)
    assert any(expected in p for p in problems), problems


def test_a_bad_brace_message_says_how_to_write_a_literal_brace() -> None:
    (problem,) = wording.template_problems("no_further_action", "{count were closed.")
    assert "write {{ or }} for a literal brace" in problem


def test_placeholders_are_per_template() -> None:
    assert wording.template_problems("largest_category", "Most were about {category}.") == []
    assert wording.template_problems("comparison_increase", "up from {previous_count}") == []
    assert wording.template_problems("no_further_action", "up from {previous_count}") != []


def test_every_default_is_a_valid_template() -> None:
    for template in wording.TEMPLATES:
        assert wording.template_problems(template.key, template.default) == [], template.key


def test_fill_substitutes_values_and_keeps_literal_braces() -> None:
    sentence = wording.fill(
        "no_further_action",
        "{organisation} closed {count} {{sic}} in {year}.",
        {"organisation": "the Authority", "count": "1,234", "year": "2023"},
    )
    assert sentence == "the Authority closed 1,234 {sic} in 2023."


def test_fill_never_evaluates_a_template_that_bypassed_the_checks() -> None:
    # Given a template written straight into the database, reaching for an attribute
    sentence = wording.fill(
        "no_further_action", "{count.__class__.__mro__}", {"count": "3", "noun": "x"}
    )
    # Then the default wording is used, not Python's object model
    assert sentence == "3 disclosures were closed without further action."


def test_a_blank_template_falls_back_to_the_default() -> None:
    assert wording.fill("comparison_none", "", {}) == wording.DEFAULTS["comparison_none"]


def test_the_model_has_one_checked_field_per_template(db: Any) -> None:
    org = Organisation(name="Any Body")
    # New organisations start from the neutral defaults.
    assert org.report_wording == wording.DEFAULTS
    org.wording_largest_category = "Most were about {service}."
    with pytest.raises(ValidationError) as caught:
        org.full_clean()
    assert "wording_largest_category" in caught.value.message_dict
    assert (
        "unknown placeholder {service}" in caught.value.message_dict["wording_largest_category"][0]
    )


def test_the_admin_refuses_an_unknown_placeholder(
    client: Any, organisation: Organisation, make_staff: Any
) -> None:
    from whistledesk.accounts.roles import Role

    admin_user = make_staff("ada", roles=[Role.MANAGER])
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin_user)
    form: dict[str, Any] = {
        "name": "Care Quality Commission",
        "name_in_sentence": "the Care Quality Commission",
        "short_name": "CQC",
        "year_start_month": "1",
        "year_start_day": "1",
        "disclosure_noun": "disclosures",
        "report_title": "Whistleblowing disclosures",
        # The accessibility statement's two choices (a browser always sends a selection).
        "accessibility_status": "partial",
        "accessibility_enforcement": "ehrc",
        **{f"wording_{k}": v for k, v in wording.DEFAULTS.items()},
        "wording_no_further_action": "{total} were closed.",
        # Inline formsets left as they are.
        **{
            f"{prefix}-{field}": n
            for prefix in ("services", "outcomes")
            for field, n in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
        },
    }
    url = f"/admin/organisation/organisation/{organisation.pk}/change/"
    response = client.post(url, form)
    assert response.status_code == 200
    assert "unknown placeholder {total}" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Example Regulator"

    form["wording_no_further_action"] = "{count} were closed after advice."
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.wording_no_further_action == "{count} were closed after advice."
    assert organisation.sentence_name == "the Care Quality Commission"
