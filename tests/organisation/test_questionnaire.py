"""The questionnaire as data: the shipped configurations load, and a questionnaire that
cannot be completed, loops, refers to unknown questions or loses a fixed part is refused
with a message saying what to fix."""

from __future__ import annotations

import copy
import io
import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from whistledesk.audit.models import AuditEvent
from whistledesk.organisation.models import Organisation, QuestionnaireVersion
from whistledesk.organisation.questionnaire import QuestionnaireError, questionnaire_parse

CONFIGS = Path(__file__).resolve().parents[2] / "whistledesk" / "organisation" / "configs"
SHIPPED = [
    "childrens_commissioner.toml",
    "health_care_regulator.toml",
    "financial_services_regulator.toml",
]


def cco() -> dict[str, Any]:
    data = tomllib.loads((CONFIGS / "childrens_commissioner.toml").read_text())
    return copy.deepcopy(data["questionnaire"])


def problems(document: dict[str, Any], services: list[str] | None = None) -> str:
    with pytest.raises(QuestionnaireError) as exc:
        questionnaire_parse(document, services=services)
    return "\n".join(exc.value.problems)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "organisation", "first_question", "pages"),
    [
        (
            "childrens_commissioner.toml",
            "Children's Commissioner's Office",
            "Is a child at risk of immediate harm?",
            11,
        ),
        (
            "health_care_regulator.toml",
            "Care Quality Commission",
            "Is anyone using the service at risk of immediate harm?",
            14,
        ),
        (
            "financial_services_regulator.toml",
            "Financial Conduct Authority",
            "Is serious harm to customers or markets happening right now?",
            13,
        ),
    ],
)
def test_each_shipped_configuration_loads_on_an_empty_database(
    name: str, organisation: str, first_question: str, pages: int
) -> None:
    # Given an empty database, when the file is loaded with the command
    call_command("configure_organisation", str(CONFIGS / name), stdout=io.StringIO())
    # Then the organisation and version 1 of its questionnaire exist, audited
    org = Organisation.objects.get()
    assert org.name == organisation
    version = QuestionnaireVersion.objects.get()
    assert version.number == 1
    assert len(version.document["pages"]) == pages
    assert version.document["pages"][0]["questions"][0]["label"] == first_question
    assert AuditEvent.objects.filter(action="questionnaire.published").count() == 1
    # And loading the same file again makes no new version
    call_command("configure_organisation", str(CONFIGS / name), stdout=io.StringIO())
    assert QuestionnaireVersion.objects.count() == 1


@pytest.mark.django_db
def test_a_changed_questionnaire_is_a_new_version_and_the_old_one_is_kept(
    tmp_path: Path,
) -> None:
    text = (CONFIGS / "childrens_commissioner.toml").read_text()
    call_command(
        "configure_organisation", str(CONFIGS / "childrens_commissioner.toml"), stdout=io.StringIO()
    )
    changed = tmp_path / "changed.toml"
    changed.write_text(
        text.replace("Is a child at risk of immediate harm?", "Is a child in danger right now?")
    )
    call_command("configure_organisation", str(changed), stdout=io.StringIO())
    first, second = QuestionnaireVersion.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.document["pages"][0]["questions"][0]["label"] == (
        "Is a child at risk of immediate harm?"
    )
    assert second.document["pages"][0]["questions"][0]["label"] == (
        "Is a child in danger right now?"
    )
    # A stored version is never edited
    first.document = {}
    with pytest.raises(ValueError, match="never changed"):
        first.save()


@pytest.mark.django_db
def test_a_bad_questionnaire_in_the_file_changes_nothing_and_says_what_to_fix(
    tmp_path: Path,
) -> None:
    text = (CONFIGS / "childrens_commissioner.toml").read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('[[questionnaire.pages]]\nkind = "files"\n', ""))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("configure_organisation", str(bad), stdout=io.StringIO(), stderr=err)
    assert "questionnaire: the files page is missing: add a page with kind = 'files'" in (
        err.getvalue()
    )
    assert not Organisation.objects.exists()
    assert not QuestionnaireVersion.objects.exists()


def test_the_childrens_commissioner_questionnaire_is_valid() -> None:
    q = questionnaire_parse(cco())
    assert [p.slug for p in q.pages] == [
        "risk",
        "emergency",
        "service",
        "setting",
        "what-happened",
        "raised-before",
        "raised-details",
        "your-role",
        "identity",
        "files",
        "check",
    ]


@pytest.mark.parametrize("kind", ["identity", "files", "check"])
def test_losing_a_fixed_part_is_refused(kind: str) -> None:
    doc = cco()
    doc["pages"] = [p for p in doc["pages"] if p.get("kind") != kind]
    assert (
        f"the {kind} page is missing: add a page with kind = '{kind}' (it is a fixed part "
        "of every questionnaire)"
    ) in problems(doc)


def test_check_answers_must_come_last() -> None:
    doc = cco()
    doc["pages"].append(
        {
            "slug": "extra",
            "questions": [
                {"id": "extra", "kind": "short_text", "label": "Anything else?", "required": False}
            ],
        }
    )
    assert "the check page (check your answers) must be the last page" in problems(doc)


def test_a_fixed_part_cannot_be_made_conditional() -> None:
    doc = cco()
    identity = next(p for p in doc["pages"] if p.get("kind") == "identity")
    identity["show_if"] = {"question": "risk", "any_of": ["no"]}
    assert "the identity page is always shown; remove show_if and services" in problems(doc)


def test_a_condition_on_a_later_question_is_a_loop() -> None:
    doc = cco()
    doc["pages"][0]["show_if"] = {"question": "raised", "any_of": ["yes"]}
    assert (
        "page 'risk' depends on question 'raised', which comes on the same or a later page: "
        "conditions may only look back (that would loop)"
    ) in problems(doc)


def test_an_unknown_question_is_refused() -> None:
    doc = cco()
    doc["pages"][1]["show_if"] = {"question": "danger", "any_of": ["yes"]}
    assert "page 'emergency': show_if refers to an unknown question 'danger'" in problems(doc)


def test_a_branch_on_an_answer_that_cannot_be_given_is_refused() -> None:
    doc = cco()
    doc["pages"][1]["show_if"] = {"question": "risk", "any_of": ["maybe"]}
    assert "page 'emergency': show_if answer 'maybe' is not an option of 'risk'" in problems(doc)


def test_a_choice_without_options_cannot_be_answered() -> None:
    doc = cco()
    role = next(p for p in doc["pages"] if p.get("slug") == "your-role")
    role["questions"][0]["options"] = []
    assert "pages[8].questions[1]: a one_choice question needs at least one option" in problems(doc)


def test_a_page_with_no_questions_is_refused() -> None:
    doc = cco()
    doc["pages"].insert(2, {"slug": "empty"})
    assert "pages[3] (empty) has no questions: add at least one" in problems(doc)


def test_the_narrative_must_be_asked_of_everyone() -> None:
    doc = cco()
    page = next(p for p in doc["pages"] if p.get("slug") == "what-happened")
    page["show_if"] = {"question": "risk", "any_of": ["yes"]}
    assert (
        "question 'narrative' is asked of everyone: remove show_if and services from page "
        "'what-happened'"
    ) in problems(doc)
    del page["show_if"]
    page["questions"][0]["narrative"] = False
    assert "mark exactly one long_text question with narrative = true" in problems(doc)


def test_duplicate_ids_unknown_kinds_and_bad_limits_are_named() -> None:
    doc = cco()
    doc["pages"][2]["questions"][0]["id"] = "risk"
    doc["pages"][3]["questions"][1]["max_length"] = 0.5
    doc["pages"][5]["questions"][0]["kind"] = "slider"
    found = problems(doc)
    assert "pages[6].questions[1].kind 'slider' is not one of: short_text, long_text" in found
    assert "pages[4].questions[2].max_length must be a whole number" in found


def test_duplicate_question_ids_are_refused() -> None:
    doc = cco()
    doc["pages"][2]["questions"][0]["id"] = "risk"
    assert "question id 'risk' appears twice: each question needs its own" in problems(doc)


def test_pages_for_some_services_name_real_services() -> None:
    doc = cco()
    doc["pages"].insert(
        4,
        {
            "slug": "school-only",
            "services": ["Schools"],
            "questions": [{"id": "year_group", "kind": "short_text", "label": "Which year group?"}],
        },
    )
    assert "page 'school-only': 'Schools' is not one of the organisation's services" in (
        problems(doc, services=["School", "other"])
    )
    questionnaire_parse(doc, services=["Schools", "other"])  # and with it, it is fine
