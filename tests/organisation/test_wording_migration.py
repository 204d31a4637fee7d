"""Migration 0002: an organisation configured before the wording existed keeps its report."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("organisation", "0001_initial")]
AFTER = [("organisation", "0002_report_wording")]


@pytest.mark.django_db(transaction=True)
def test_existing_organisations_keep_their_article_and_closing_sentence() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("organisation", "Organisation")
        old.objects.create(name="Care Quality Commission")
        old.objects.create(name="Ofsted")

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        # Leave the schema as every other test expects it.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    from whistledesk.organisation.models import Organisation

    cqc: Any = Organisation.objects.get(name="Care Quality Commission")
    assert cqc.sentence_name == "the Care Quality Commission"
    assert cqc.wording_no_further_action == (
        "There were {count} referrals that ended in no action beyond advice."
    )
    # A one-word name was never given "the".
    assert Organisation.objects.get(name="Ofsted").sentence_name == "Ofsted"
    # New organisations start from the neutral defaults.
    assert Organisation().wording_no_further_action == (
        "{count} disclosures were closed without further action."
    )
