"""`whistledesk load_demo`: the seed report's figures, and safe to run again."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from whistledesk.audit.models import AuditEvent
from whistledesk.cases.models import Disclosure, Status
from whistledesk.organisation.models import Organisation, ReportYear
from whistledesk.organisation.selectors import outcome_list, service_list

pytestmark = pytest.mark.django_db

SEED_SERVICES = [
    ("Children's Homes", 1),
    ("Local Authority Children's Services.", 5),
    ("Health service or setting", 3),
    ("School", 4),
    ("Supported living provider", 6),
    ("Early years provider", 2),
    ("other", 5),
]
SEED_OUTCOMES = [
    (
        "All concerns were sent to the appropriate bodies including the local authority, "
        "police and Ofsted",
        18,
    ),
    (
        "Not taken forward: closed through lack of engagement/ information from the "
        "whistle-blower or matter already been investigated",
        8,
    ),
]


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def in_year(start: int) -> Any:
    return Disclosure.objects.filter(
        received_on__gte=dt.date(start, 4, 1), received_on__lte=dt.date(start + 1, 3, 31)
    )


def test_the_configuration_is_the_commissioners_word_for_word() -> None:
    load()
    org = Organisation.objects.get()
    assert org.name == "Children's Commissioner's Office"
    assert (org.short_name, org.disclosure_noun) == ("CCO", "whistle-blowing concerns")
    assert (org.year_start_month, org.year_start_day) == (4, 1)
    assert [s.label for s in service_list(organisation=org)] == [s for s, _ in SEED_SERVICES]
    assert [(o.label, o.further_action) for o in outcome_list(organisation=org)] == [
        (SEED_OUTCOMES[0][0], True),
        (SEED_OUTCOMES[1][0], False),
    ]
    supported = service_list(organisation=org)[4]
    assert supported.phrase == "supported living providers"
    assert supported.report_description.startswith("These providers often accommodate children")
    assert service_list(organisation=org)[1].phrase == "Local Authority children's services"
    assert org.functions_text.startswith(
        "The Children's Commissioner is named in the Prescribed Persons Order 2014"
    )
    assert org.functions_text.count("\n\n") == 6  # the seed's seven introduction paragraphs
    year = ReportYear.objects.get(organisation=org, year=2022)
    assert year.no_further_action_example.startswith("An example from the last year")
    assert year.further_action_example.startswith("An example would be a social worker")
    assert "Demo text" in year.impact_text


def test_2022_23_has_the_seed_reports_breakdown() -> None:
    load()
    year = in_year(2022)
    assert year.count() == 26
    assert year.filter(qualifying=True).count() == 26
    assert year.filter(anonymous=True).count() == 0
    by_service = dict(year.values_list("service__label").annotate(n=Count("id")))
    assert by_service == dict(SEED_SERVICES)
    by_outcome = dict(year.values_list("outcome__label").annotate(n=Count("id")))
    assert by_outcome == dict(SEED_OUTCOMES)
    by_channel = dict(year.values_list("channel").annotate(n=Count("id")))
    assert by_channel["letter"] == 3
    assert set(by_channel) == {"letter", "email", "helpline", "tribunal"}
    # Spread over the whole year, both ends included.
    assert year.order_by("received_on").first().received_on == dt.date(2022, 4, 1)
    assert year.order_by("received_on").last().received_on == dt.date(2023, 3, 31)


def test_2021_22_has_17_and_the_output_says_its_breakdown_is_illustrative() -> None:
    output = load()
    assert in_year(2021).count() == 17
    assert in_year(2021).filter(anonymous=True).exists()
    assert Disclosure.objects.count() == 43
    assert "illustrative" in output


def test_demo_disclosures_are_closed_with_fixed_references() -> None:
    load()
    assert set(Disclosure.objects.values_list("status", flat=True)) == {Status.CLOSED}
    assert Disclosure.objects.filter(reference="CCO-2223-001").exists()
    assert Disclosure.objects.filter(reference="CCO-2122-017").exists()


def test_loading_again_changes_nothing() -> None:
    load()
    before = list(Disclosure.objects.order_by("reference").values_list("reference", "received_on"))
    output = load()
    after = list(Disclosure.objects.order_by("reference").values_list("reference", "received_on"))
    assert before == after
    assert "0 added, 43 already present" in output


def test_if_empty_loads_once_then_does_nothing() -> None:
    load("--if-empty")
    events = AuditEvent.objects.count()
    output = load("--if-empty")
    assert "already holds disclosures" in output
    assert Disclosure.objects.count() == 43
    assert AuditEvent.objects.count() == events


def test_if_empty_leaves_a_real_register_alone(organisation: Any) -> None:
    Disclosure.objects.create(
        organisation=organisation, reference="REAL-1", received_on=dt.date(2023, 1, 1),
        channel="email", qualifying=True,
    )  # fmt: skip
    load("--if-empty")
    assert Organisation.objects.get().name == organisation.name
    assert Disclosure.objects.count() == 1


def test_demo_data_is_never_mixed_into_a_real_register(organisation: Any) -> None:
    Disclosure.objects.create(
        organisation=organisation, reference="REAL-1", received_on=dt.date(2023, 1, 1),
        channel="email", qualifying=True,
    )  # fmt: skip
    with pytest.raises(CommandError, match="not demo data"):
        load()
    assert Organisation.objects.get().name == organisation.name
    assert Disclosure.objects.count() == 1


def test_if_empty_keeps_another_organisations_configuration(organisation: Any) -> None:
    output = load("--if-empty")
    assert "Another organisation is configured" in output
    assert Organisation.objects.get().name == organisation.name
    assert not Disclosure.objects.exists()
