"""Answers to configured questions are sealed like today's: a thief holding the database
finds none of them, only the setting's name, which is clear on purpose (ADR 0002)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.at_rest import database_bytes
from tests.intake.test_questionnaire import load, post
from whistledesk.cases.models import Disclosure
from whistledesk.organisation.models import ServiceCategory

pytestmark = pytest.mark.django_db(transaction=True)

CANARY_INSTRUMENT = "Quillfeather Zinc Futures"
CANARY_REFERENCE = "Z7Q4X9"
CANARY_ACCOUNT = "The ledger of Marlowe Pennywhistle was rewritten at midnight."


def test_configured_answers_are_never_stored_in_clear(settings: Any) -> None:
    settings.WHISTLEDESK_FAILURE_DELAY = 0
    client = Client()
    load("financial_services_regulator.toml")
    markets = ServiceCategory.objects.get(label="Wholesale markets and trading")
    post(client, "ongoing-harm", {"ongoing_harm": "no"})
    post(client, "area", {"service": str(markets.pk)})
    post(client, "firm", {"firm_name": "Example Markets Ltd", "firm_reference": CANARY_REFERENCE})
    post(client, "wrongdoing", {"wrongdoing": ["market-abuse"]})
    post(client, "instruments", {"instruments": CANARY_INSTRUMENT})
    post(client, "started", {"started_on_0": "", "started_on_1": "", "started_on_2": ""})
    post(client, "what-happened", {"narrative": CANARY_ACCOUNT})
    post(client, "raised-before", {"raised": "no"})
    post(client, "your-role", {"role": "employee"})
    post(client, "identity", {"identity": "anonymous"})
    client.post("/report/files/", {"action": "continue"})
    assert client.post("/report/check/", {})["Location"] == "/report/sent/"
    client.get("/report/sent/")
    assert Disclosure.objects.count() == 1
    raw = database_bytes()
    assert b"Example Markets Ltd" in raw  # the clear setting column: the search works
    for canary in (CANARY_INSTRUMENT, CANARY_REFERENCE, CANARY_ACCOUNT, "Marlowe"):
        assert canary.encode() not in raw, canary
