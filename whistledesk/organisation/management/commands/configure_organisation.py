"""`whistledesk configure_organisation FILE.toml`: add an organisation or update one.

The file's `slug` says which (ADR 0017): a slug no organisation has adds a new one, an
existing slug updates that one. A file without a slug updates the only organisation (or
makes the first); with several, it is refused and asks for the slug.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.config_file import ConfigError, read_config
from whistledesk.organisation.services import ConfigureResult, organisation_configure


def describe(result: ConfigureResult) -> str:
    """One line a person can check against their file."""
    org = result.organisation
    verb = "Created" if result.organisation_created else "Updated"
    where = f"host {org.host}" if org.host else f"path /{org.slug}/ when there are several"
    return (
        f"{verb} {org.name} (slug {org.slug}, {where}): reporting year starts "
        f"{org.year_start_day:02d}/{org.year_start_month:02d}; "
        f"services {result.services_created} new, {result.services_updated} changed, "
        f"{result.services_deactivated} retired; "
        f"outcomes {result.outcomes_created} new, {result.outcomes_updated} changed, "
        f"{result.outcomes_deactivated} retired; year texts: {result.years_written}."
    )


class Command(BaseCommand):
    help = (
        "Create or update an organisation, its service categories and outcomes from a TOML "
        "file: the file's slug names the organisation (a new slug adds one). Re-running "
        "updates in place (matched by label); services or outcomes no longer in the file are "
        "retired (kept for past disclosures), never deleted. A file with any "
        "problem changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the configuration file (TOML)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config, raw = read_config(options["file"])
        except ConfigError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{options['file']}: {problem}")
            raise CommandError(
                f"{options['file']} was not loaded ({len(exc.problems)} problem(s)); "
                "nothing was changed."
            ) from None
        try:
            result = organisation_configure(
                actor="configure_organisation", config=config, source=raw
            )
        except DomainError as exc:
            raise CommandError(f"{options['file']} was not loaded: {exc.message}") from None
        self.stdout.write(describe(result))
