"""Create the first manager of a new office (the password is read from standard input).

The admin no longer creates people or gives roles (issue 8): a new installation makes its
first manager here, on the server, and that manager adds everyone else on the staff pages
(/staff/people/). Audited as `user.created` with the actor "create_manager".
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


class Command(BaseCommand):
    help = "Create a manager (password from standard input) who then adds staff in the product."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        if sys.stdin.isatty():
            password = getpass.getpass("Password for the new manager: ")
        else:
            password = sys.stdin.readline().rstrip("\n")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            with transaction.atomic():
                user = user_create(
                    actor="create_manager",
                    username=options["username"],
                    password=password,
                    roles=[Role.MANAGER],
                    email=options["email"],
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Manager {user.get_username()!r} created. Sign in at /staff/ and add staff on "
            "the Staff page."
        )
