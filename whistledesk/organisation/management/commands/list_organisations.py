"""`whistledesk list_organisations`: the installation's organisations, and where each is."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from whistledesk.organisation import tenancy
from whistledesk.organisation.models import Organisation


def address(org: Organisation, *, only: bool) -> str:
    """Where the organisation's public pages are (organisation/tenancy.py decides)."""
    if org.host:
        return f"https://{org.host}/"
    return "/" if only else f"/{org.slug}/"


class Command(BaseCommand):
    help = (
        "List the organisations: slug (for --organisation), host name, name, languages and "
        "where they are served."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = list(Organisation.objects.order_by("slug"))
        if not orgs:
            self.stdout.write(
                "No organisation is configured. Run `whistledesk configure_organisation FILE.toml`."
            )
            return
        only = tenancy.sole_organisation() is not None
        rows = [("SLUG", "HOST", "NAME", "LANGUAGES", "ADDRESS")] + [
            (
                org.slug,
                org.host or "-",
                org.name,
                ",".join(org.language_codes),
                address(org, only=only),
            )
            for org in orgs
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]).rstrip())
