"""The follow-up messages' wording: shipped defaults, the `[followup]` table of the
configuration file, and each outcome's own words for whistleblowers."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from whistledesk.organisation.config_file import ConfigError, parse_config
from whistledesk.organisation.models import Organisation, Outcome

MINIMAL = """
[organisation]
name = "Minimal Body"
[[services]]
label = "Everything"
[[outcomes]]
label = "Referred on"
further_action = true
whistleblower_text = "We passed your concerns on to the body that can act on them."
"""


def test_left_out_the_shipped_defaults_are_used() -> None:
    config = parse_config(MINIMAL)
    assert config.followup["acknowledgement"].startswith(
        "We have received your disclosure {reference} and a member of our staff is looking at it."
    )
    assert "What we did: {outcome}" in config.followup["outcome"]
    assert config.outcomes[0].whistleblower_text == (
        "We passed your concerns on to the body that can act on them."
    )


def test_an_unknown_placeholder_is_refused_naming_the_key() -> None:
    text = MINIMAL + '\n[followup]\nfeedback = "Dear {name}, about {reference}."\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert caught.value.problems == [
        "followup.feedback: unknown placeholder {name} (allowed: {feedback_due}, "
        "{organisation}, {received_on}, {reference})"
    ]


def test_outcome_is_only_for_the_outcome_message() -> None:
    text = MINIMAL + '\n[followup]\nacknowledgement = "Done: {outcome}"\n'
    with pytest.raises(ConfigError, match=r"followup.acknowledgement: unknown placeholder"):
        parse_config(text)


@pytest.mark.django_db
def test_configure_organisation_stores_the_wording(tmp_path: Path) -> None:
    path = tmp_path / "org.toml"
    path.write_text(
        MINIMAL + '\n[followup]\nacknowledgement = "Thank you: we have {reference}."\n',
        encoding="utf-8",
    )
    call_command("configure_organisation", str(path), stdout=StringIO())
    org = Organisation.objects.get()
    assert org.followup_acknowledgement == "Thank you: we have {reference}."
    assert org.followup_feedback.startswith("This is an update on your disclosure {reference}")
    outcome = Outcome.objects.get()
    assert outcome.whistleblower_text == (
        "We passed your concerns on to the body that can act on them."
    )

    # A bad file changes nothing and names the key.
    path.write_text(MINIMAL + '\n[followup]\noutcome = "{result}"\n', encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("configure_organisation", str(path), stdout=StringIO(), stderr=err)
    org.refresh_from_db()
    assert org.followup_acknowledgement == "Thank you: we have {reference}."


def test_the_demo_outcomes_have_plain_words(db: Any) -> None:
    call_command("load_demo", stdout=StringIO())
    words = sorted(Outcome.objects.values_list("whistleblower_text", flat=True))
    assert words == [
        "We did not take your concerns further, because we did not have enough information "
        "to act on or the matter had already been investigated.",
        "We sent your concerns to the bodies that can act on them, such as the local "
        "authority, the police or Ofsted, and asked them to tell us what they did.",
    ]
