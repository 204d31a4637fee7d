"""`whistledesk apply_retention [--dry-run] [--today YYYY-MM-DD] [--organisation SLUG]`:
destroy what is due.

Run daily by the scheduled task (deploy/whistledesk-retention.timer, docs/operations.md).
Every organisation in turn, each with its own policies and holds (ADR 0017), or only the
one named by --organisation. Prints one line per case by reference (never content). Exits
non-zero if any due case could not be destroyed, so the scheduler reports it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from whistledesk.organisation import tenancy
from whistledesk.organisation.models import Organisation
from whistledesk.retention.destruction import retention_apply

ACTOR = "apply_retention"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Destroy the content and identity of closed cases whose retention period is over, "
        "keeping the figures the annual report needs. Cases on legal hold are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be destroyed; change nothing"
        )
        parser.add_argument(
            "--today", help="treat this date (YYYY-MM-DD) as today (default: the real date)"
        )
        parser.add_argument(
            "--organisation",
            metavar="SLUG",
            help="only this organisation, by its slug (default: every organisation, in turn)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["today"]) if options["today"] else timezone.localdate()
        if options.get("organisation"):
            organisations = [tenancy.organisation_from_options(options)]
        else:
            organisations = list(Organisation.objects.order_by("slug"))
            if not organisations:
                # The same clear message as for a named one: how to configure.
                tenancy.organisation_from_options(options)
        refused = 0
        for organisation in organisations:
            with tenancy.activate(organisation):
                refused += self._apply(
                    organisation,
                    on=today,
                    dry_run=options["dry_run"],
                    several=len(organisations) > 1,
                )
        if refused:
            raise CommandError(f"{refused} due case(s) could not be destroyed.")

    def _apply(
        self, organisation: Organisation, *, on: dt.date, dry_run: bool, several: bool
    ) -> int:
        """One organisation's run, reported; the number of due cases it could not destroy."""
        today = on
        run = retention_apply(actor=ACTOR, organisation=organisation, today=today, dry_run=dry_run)
        if several:
            self.stdout.write(f"{organisation.name} ({organisation.slug}):")
        verb = "Would destroy" if run.dry_run else "Destroyed"
        for item in run.destroyed:
            self.stdout.write(
                f"{verb} {item.reference}: {item.rule.label}, kept until {item.kept_until}"
            )
        for item in run.held:
            self.stdout.write(f"Kept {item.reference}: on legal hold")
        for item, reason in run.refused:
            self.stderr.write(f"Not destroyed {item.reference}: {reason}")
        self.stdout.write(
            f"{verb} {len(run.destroyed)} case(s) as of {today}; {len(run.held)} on legal hold."
        )
        if run.reclaimed:
            self.stdout.write(f"Reclaimed space: {run.reclaimed}.")
        return len(run.refused)
