"""`whistledesk publish_report [--organisation SLUG] --year YYYY [--reason TEXT]`.

Publishes the annual report for the reporting year starting in YYYY: stores every format
exactly as it is now, with a SHA-256 of each (ADR 0008). When a version is already
published, a new one is a correction and needs --reason.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.organisation import tenancy
from whistledesk.reports.selectors import ReportError
from whistledesk.reports.services import report_publish


class Command(BaseCommand):
    help = "Publish (freeze) the annual report for one reporting year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="The year in which the reporting period starts (2022 for 2022/23).",
        )
        tenancy.add_organisation_argument(parser)
        parser.add_argument(
            "--reason", default="", help="Why this corrects the version already published."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = tenancy.organisation_from_options(options)
        try:
            with tenancy.activate(organisation):
                published = report_publish(
                    actor="publish_report",
                    organisation=organisation,
                    year=options["year"],
                    reason=options["reason"],
                )
        except ReportError as exc:
            raise CommandError(exc.message) from exc
        hashes = {f.fmt: f.sha256 for f in published.files.all()}
        self.stdout.write(
            f"Published version {published.version} of the report for {published.year}\n"
        )
        for fmt, digest in sorted(hashes.items()):
            self.stdout.write(f"  {fmt}\tsha256 {digest}\n")
