"""`whistledesk load_demo [--if-empty]`: the Children's Commissioner's demo register."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from whistledesk.cases.importing import ImportRejected, import_disclosures_csv
from whistledesk.cases.models import Disclosure
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.config_file import ConfigError, read_config
from whistledesk.organisation.demo.disclosures import demo_csv, demo_references
from whistledesk.organisation.management.commands.configure_organisation import describe
from whistledesk.organisation.models import Organisation
from whistledesk.organisation.services import organisation_configure
from whistledesk.reports.disclosure_check import disclosure_check_get
from whistledesk.reports.disclosure_control import PUBLISH
from whistledesk.reports.preparation import report_disclosure_decide

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "configs" / "childrens_commissioner.toml"
ACTOR = "load_demo"
# The Commissioner published its 2022/23 tables with their small numbers (1 children's
# home, 2 early years providers). The demo records that decision with its reason, so the
# demo report publishes as the real one was; 2021/22 is left for a manager to decide.
PUBLISHED_AS_IS_YEAR = 2022
PUBLISHED_AS_IS_REASON = (
    "Published as it is in the Children's Commissioner's own report for 2022/23 (demo "
    "data reproducing that report)."
)


class Command(BaseCommand):
    help = (
        "Load the Children's Commissioner's configuration and demo disclosures: 26 in "
        "2022/23 (the published report's breakdown) and 17 in 2021/22 (illustrative "
        "breakdown). Running it again changes nothing. Refuses to mix demo data into a "
        "register that holds other disclosures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if the register holds any disclosure (used by `make run`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config, raw = read_config(DEMO_CONFIG)
        except ConfigError as exc:  # only if the shipped file was edited badly
            raise CommandError(f"{DEMO_CONFIG}: {exc.message}") from None
        if options["if_empty"]:
            if Disclosure.objects.exists():
                self.stdout.write("The register already holds disclosures: demo data not loaded.")
                return
            # A deployment configured for another organisation keeps its configuration.
            if Organisation.objects.exclude(name=config.name).exists():
                self.stdout.write("Another organisation is configured: demo data not loaded.")
                return
        # The demo must never be mixed into a real register.
        if Disclosure.objects.exclude(reference__in=demo_references()).exists():
            raise CommandError(
                "The register holds disclosures that are not demo data; load_demo would mix "
                "demo disclosures into it. Nothing was changed."
            )
        try:
            # Both or neither: a configuration without its demo disclosures helps nobody.
            with transaction.atomic():
                configured = organisation_configure(actor=ACTOR, config=config, source=raw)
                result = import_disclosures_csv(
                    actor=ACTOR,
                    stream=io.StringIO(demo_csv()),
                    organisation=configured.organisation,
                )
                _decide_small_cells(configured.organisation)
        except ImportRejected as exc:
            raise CommandError(
                "The demo disclosures were not loaded: " + "; ".join(str(e) for e in exc.errors[:5])
            ) from None
        except DomainError as exc:  # e.g. another organisation has the demo's host name
            raise CommandError(f"The demo was not loaded: {exc.message}") from None
        self.stdout.write(describe(configured))
        self.stdout.write(
            f"Demo disclosures: {result.created} added, {result.skipped_identical} already "
            "present. 2022/23 has 26 with the published report's breakdown by service and "
            "action; 2021/22 has 17 whose breakdown is illustrative (the report gives only "
            "the total)."
        )


def _decide_small_cells(organisation: Organisation) -> None:
    """Record "publish as it is" on each 2022/23 cell the check flags and nobody decided."""
    check = disclosure_check_get(organisation=organisation, year=PUBLISHED_AS_IS_YEAR)
    for cell in check.cells:
        if cell.decision is None:
            report_disclosure_decide(
                actor=ACTOR,
                organisation=organisation,
                year=PUBLISHED_AS_IS_YEAR,
                warning=cell.key,
                action=PUBLISH,
                reason=PUBLISHED_AS_IS_REASON,
            )
