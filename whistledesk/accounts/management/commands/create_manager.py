"""Create the first manager of an organisation (the password is read from standard input).

The admin no longer creates people or gives roles (issue 8): a new organisation gets its
first manager here, on the server, and that manager adds everyone else on the staff pages
(/staff/people/). Audited as `user.created` with the actor "create_manager".

With several organisations, `--organisation SLUG` names the one (ADR 0017). With none
configured yet the account belongs to none, and joins the first organisation configured
while it is the only one.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from whistledesk.accounts.roles import Role
from whistledesk.accounts.services import user_create
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation import tenancy
from whistledesk.organisation.models import Organisation


def staff_address(org: Organisation | None) -> str:
    """Where the organisation's staff sign in, as a path or a host name and path."""
    if org is None or (not org.host and tenancy.sole_organisation() == org):
        return "/staff/"
    if org.host:
        return f"https://{org.host}/staff/"
    return f"/{org.slug}/staff/"


class Command(BaseCommand):
    help = (
        "Create a manager (password from standard input) who then adds staff in the product. "
        "With several organisations, name one with --organisation SLUG."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        tenancy.add_organisation_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        # Before the password: a missing or ambiguous organisation is said at once.
        org = (
            tenancy.organisation_from_options(options)
            if options.get("organisation") or Organisation.objects.exists()
            else None
        )
        if sys.stdin.isatty():
            password = getpass.getpass("Password for the new manager: ")
        else:
            password = sys.stdin.readline().rstrip("\n")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            with transaction.atomic(), tenancy.activate(org):
                user = user_create(
                    actor="create_manager",
                    username=options["username"],
                    password=password,
                    roles=[Role.MANAGER],
                    email=options["email"],
                    organisation=org,
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        where = f" of {org.name} ({org.slug})" if org is not None else ""
        self.stdout.write(
            f"Manager {user.get_username()!r}{where} created. Sign in at {staff_address(org)} "
            "and add staff on the Staff page."
        )
