"""Configured texts in each language (organisation/texts.py): the configuration refuses
Welsh enabled with a Welsh text missing, naming the key; the accessor's rules; the public
pages in Welsh show the Welsh texts."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from tests.factories import OrganisationFactory
from whistledesk.organisation.config_file import ConfigError, parse_config
from whistledesk.organisation.models import Organisation, Outcome, ServiceCategory
from whistledesk.organisation.texts import localised

SHIPPED = (
    Path(__file__).resolve().parents[2]
    / "whistledesk/organisation/configs/childrens_commissioner.toml"
)
MINIMAL = """
[organisation]
name = "Example Regulator"
languages = ["en", "cy"]
public_guidance = "Tell us about wrongdoing."
[[services]]
label = "Schools"
[[outcomes]]
label = "Referred"
further_action = true
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    return caught.value.problems


def test_the_shipped_configuration_has_every_text_in_welsh() -> None:
    config = parse_config(SHIPPED.read_text(encoding="utf-8"))
    assert config.languages == "en,cy"
    assert config.translations["cy"]["public_guidance"].startswith("(Testun enghreifftiol.)")
    assert config.services[3].translations == {"cy": {"label": "Ysgol"}}


def test_welsh_enabled_with_a_welsh_label_missing_is_refused_naming_the_key() -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace('label_cy = "Ysgol"\n', "", 1)
    assert problems(text) == [
        "services[4].label_cy is missing: Welsh is enabled (languages), so services[4].label "
        "needs its Welsh text too"
    ]


def test_a_questionnaire_label_missing_in_welsh_is_named_by_its_place() -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace(
        'label_cy = "A yw plentyn mewn perygl o niwed uniongyrchol?"\n', "", 1
    )
    assert problems(text) == [
        "questionnaire.pages[1].questions[1].label_cy is missing: Welsh is enabled (languages), "
        "so every text of the questionnaire needs its Welsh text too"
    ]


def test_every_missing_welsh_text_is_listed() -> None:
    assert problems(MINIMAL) == [
        "organisation.name_cy is missing: Welsh is enabled (languages), so organisation.name "
        "needs its Welsh text too",
        "organisation.public_guidance_cy is missing: Welsh is enabled (languages), so "
        "organisation.public_guidance needs its Welsh text too",
        "services[1].label_cy is missing: Welsh is enabled (languages), so services[1].label "
        "needs its Welsh text too",
        "outcomes[1].label_cy is missing: Welsh is enabled (languages), so outcomes[1].label "
        "needs its Welsh text too",
    ]


def test_english_only_needs_no_welsh() -> None:
    config = parse_config(MINIMAL.replace('languages = ["en", "cy"]', 'languages = ["en"]'))
    assert config.translations == {}


def test_welsh_templates_are_checked_like_english_ones() -> None:
    text = (
        MINIMAL.replace(
            'public_guidance = "Tell us about wrongdoing."',
            'name_cy = "Rheoleiddiwr Enghreifftiol"\n'
            'public_guidance = "Tell us about wrongdoing."\n'
            'public_guidance_cy = "Dywedwch wrthym am gamwedd."',
        )
        .replace('label = "Schools"', 'label = "Schools"\nlabel_cy = "Ysgolion"')
        .replace('label = "Referred"', 'label = "Referred"\nlabel_cy = "Atgyfeiriwyd"')
        + '[wording]\nno_further_action = "{count} closed."\n'
        'no_further_action_cy = "Caewyd {cownt}."\n'
    )
    assert problems(text) == [
        "wording.no_further_action_cy: unknown placeholder {cownt} (allowed: {count}, {noun}, "
        "{organisation}, {short_name}, {year})"
    ]


def test_the_command_refuses_the_file_and_changes_nothing(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "cco.toml"
    path.write_text(
        SHIPPED.read_text(encoding="utf-8").replace('label_cy = "Ysgol"\n', "", 1),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("configure_organisation", str(path), stdout=StringIO(), stderr=err)
    assert "services[4].label_cy is missing" in err.getvalue()
    assert not Organisation.objects.exists()


# --- the accessor ---------------------------------------------------------------------------


@pytest.fixture
def welsh(db: Any) -> Organisation:
    org = OrganisationFactory(
        name="Example Regulator",
        languages="en,cy",
        public_guidance="Tell us.",
        translations={"cy": {"public_guidance": "Dywedwch wrthym.", "name": "Rheoleiddiwr"}},
    )
    ServiceCategory.objects.filter(organisation=org, label="Schools").update(
        translations={"cy": {"label": "Ysgolion"}}
    )
    return org


def test_the_active_language_decides(welsh: Organisation) -> None:
    assert localised(welsh, "public_guidance") == "Tell us."
    with translation.override("cy"):
        assert localised(welsh, "public_guidance") == "Dywedwch wrthym."
        assert localised(welsh, "name") == "Rheoleiddiwr"
        assert localised(welsh, "public_guidance", "en") == "Tell us."
    school = ServiceCategory.objects.get(organisation=welsh, label="Schools")
    assert localised(school, "label", "cy") == "Ysgolion"


def test_english_for_a_language_the_organisation_does_not_enable(db: Any) -> None:
    org = OrganisationFactory(
        languages="en",
        public_guidance="Tell us.",
        translations={"cy": {"public_guidance": "Dywedwch wrthym."}},
    )
    assert localised(org, "public_guidance", "cy") == "Tell us."


def test_an_enabled_language_never_falls_back_to_english(welsh: Organisation) -> None:
    # A template left out takes the shipped Welsh default; another text is blank, not English
    assert localised(welsh, "wording_no_further_action_none", "cy") == (
        "Ni chaewyd unrhyw ddatgeliadau heb gamau pellach."
    )
    referred = Outcome.objects.get(organisation=welsh, label="Referred")
    assert localised(referred, "label", "cy") == ""
    # A text blank in English is blank in Welsh too (the page shows its default)
    assert localised(welsh, "policy_text", "cy") == ""


# --- the public pages -------------------------------------------------------------------------


@pytest.fixture
def cco(db: Any) -> Organisation:
    call_command("configure_organisation", str(SHIPPED), stdout=StringIO(), stderr=StringIO())
    return Organisation.objects.get(slug="cco")


def test_the_question_page_in_welsh_shows_the_welsh_label(cco: Organisation) -> None:
    client = Client()
    english = client.get("/report/risk/").content.decode()
    assert "Is a child at risk of immediate harm?" in english
    with translation.override("cy"):
        page = client.get("/cy/report/risk/").content.decode()
        assert client.post("/cy/report/risk/", {"risk": "no"}).status_code == 302
        service = client.get("/cy/report/service/").content.decode()
    assert "A yw plentyn mewn perygl o niwed uniongyrchol?" in page
    assert "Er enghraifft, mae plentyn mewn perygl nawr neu bydd yn yr ychydig oriau nesaf." in (
        page
    )
    assert "Is a child at risk" not in page
    assert "Cartrefi Plant" in service
    assert "Darparwr byw â chymorth" in service


def test_the_start_and_policy_pages_in_welsh(cco: Organisation) -> None:
    client = Client()
    with translation.override("cy"):
        start = client.get("/cy/").content.decode()
        policy = client.get("/cy/whistleblowing-policy/").content.decode()
    assert "Os ydych yn gweithio gyda phlant ac yn poeni bod eu hawliau" in start
    assert "Swyddfa&#x27;r Comisiynydd Plant" in start
    assert "Rydym yn cydnabod pob datgeliad o fewn 7 diwrnod" in policy


# --- the staff pages that write texts ---------------------------------------------------------


def manager_of(make_staff: Any) -> Client:
    from whistledesk.accounts.roles import Role

    client = Client()
    client.force_login(make_staff("maya", roles=[Role.MANAGER]))
    return client


def test_the_public_form_page_refuses_a_questionnaire_without_its_welsh(
    cco: Organisation, make_staff: Any
) -> None:
    import json

    from whistledesk.organisation.models import QuestionnaireVersion

    manager = manager_of(make_staff)
    doc = json.loads(json.dumps(QuestionnaireVersion.objects.get(organisation=cco).document))
    doc["pages"][0]["questions"][0]["hint"] = "A new hint."
    del doc["pages"][0]["questions"][0]["hint_cy"]
    response = manager.post(
        "/staff/public-form/", {"document": json.dumps(doc), "action": "publish"}
    )
    assert response.status_code == 400
    assert (
        "questionnaire.pages[1].questions[1].hint_cy is missing: every text needs its Welsh "
        "when Welsh is enabled"
    ) in response.content.decode()
    assert QuestionnaireVersion.objects.filter(organisation=cco).count() == 1
    # With its Welsh it is published, and the Welsh page shows it
    doc["pages"][0]["questions"][0]["hint_cy"] = "Awgrym newydd."
    response = manager.post(
        "/staff/public-form/", {"document": json.dumps(doc), "action": "publish"}
    )
    assert response.status_code == 302
    with translation.override("cy"):
        assert "Awgrym newydd." in Client().get("/cy/report/risk/").content.decode()


def test_the_follow_up_wording_page_asks_for_each_message_in_welsh(
    cco: Organisation, make_staff: Any
) -> None:
    manager = manager_of(make_staff)
    english = {
        "acknowledgement": "We got {reference}.",
        "feedback": "Update on {reference}.",
        "outcome": "Done: {outcome}.",
    }
    refused = manager.post("/staff/follow-up-wording/", english).content.decode()
    assert "Write the acknowledgement message in Welsh: Welsh is enabled" in refused
    bad = manager.post(
        "/staff/follow-up-wording/",
        english
        | {
            "acknowledgement_cy": "Cawsom {cyfeirnod}.",
            "feedback_cy": "Diweddariad ar {reference}.",
            "outcome_cy": "Wedi gorffen: {outcome}.",
        },
    ).content.decode()
    assert "unknown placeholder {cyfeirnod}" in bad
    saved = manager.post(
        "/staff/follow-up-wording/",
        english
        | {
            "acknowledgement_cy": "Cawsom {reference}.",
            "feedback_cy": "Diweddariad ar {reference}.",
            "outcome_cy": "Wedi gorffen: {outcome}.",
        },
    )
    assert saved.status_code == 302
    cco.refresh_from_db()
    assert cco.followup_acknowledgement == "We got {reference}."
    assert localised(cco, "followup_acknowledgement", "cy") == "Cawsom {reference}."


def test_an_english_only_organisation_is_not_asked_for_welsh(
    organisation: Organisation, make_staff: Any
) -> None:
    page = manager_of(make_staff).get("/staff/follow-up-wording/").content.decode()
    assert "in Welsh" not in page


def test_the_default_questionnaire_is_in_welsh_too(db: Any) -> None:
    from whistledesk.organisation.models import QuestionnaireVersion

    org = OrganisationFactory(languages="en,cy")
    QuestionnaireVersion.objects.filter(organisation=org).delete()
    client = Client()
    with translation.override("cy"):
        page = client.get(f"/{org.slug}/cy/report/risk/").content.decode()
    assert "A oes unrhyw un mewn perygl o niwed uniongyrchol?" in page
    assert "Is anyone at risk" in client.get(f"/{org.slug}/report/risk/").content.decode()


def test_check_your_answers_in_welsh_shows_the_welsh_words(cco: Organisation) -> None:
    from tests.intake.conftest import answers_for

    client = Client()
    with translation.override("cy"):
        for slug, data in answers_for(cco):
            assert client.post(f"/cy/report/{slug}/", data).status_code == 302, slug
        assert client.post("/cy/report/files/", {"action": "continue"}).status_code == 302
        page = client.get("/cy/report/check/").content.decode()
    assert "Mae&#x27;r pryder am" in page
    assert "Cartrefi Plant" in page
    assert "Gweithiwr asiantaeth" in page
    assert "Children&#x27;s Homes" not in page
