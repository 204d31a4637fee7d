"""`whistledesk api_token [--organisation SLUG] create USERNAME --name N [--days D]`,
`... list USERNAME`, `... revoke ID`.

Usernames are unique within an organisation, so the command works inside one (named with
--organisation when the installation has several): it finds, lists and revokes only that
organisation's accounts and tokens. `create` prints the new token once, on standard output;
only its digest is stored. The token works only at its organisation's address.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from whistledesk.accounts.models import User
from whistledesk.api.selectors import api_token_by_id, api_token_list
from whistledesk.api.services import DEFAULT_LIFETIME_DAYS, api_token_create, api_token_revoke
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation import tenancy

ACTOR = "api_token command"


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens for the staff API."

    def add_arguments(self, parser: CommandParser) -> None:
        tenancy.add_organisation_argument(parser)
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What the token is for.")
        create.add_argument("--days", type=int, default=DEFAULT_LIFETIME_DAYS)
        listing = sub.add_parser("list", help="List a user's tokens (never the tokens).")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        self.organisation = tenancy.organisation_from_options(options)
        try:
            with tenancy.activate(self.organisation):
                getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _user(self, username: str) -> User:
        user = User.objects.filter(organisation=self.organisation, username=username).first()
        if user is None:
            raise CommandError(
                f"There is no staff account called {username!r} in {self.organisation.name}."
            )
        return user

    def _create(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        row, token = api_token_create(
            actor=ACTOR, user=user, name=options["name"], lifetime_days=options["days"]
        )
        self.stderr.write(
            f"Token {row.pk} for {user.get_username()} expires {row.expires_at:%Y-%m-%d}. "
            "It is shown once; store it now."
        )
        self.stdout.write(token)

    def _list(self, options: dict[str, Any]) -> None:
        for t in api_token_list(user=self._user(options["username"])):
            state = "revoked" if t.revoked_at else ("usable" if t.is_usable else "expired")
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            self.stdout.write(
                f"{t.pk}\t{state}\texpires {t.expires_at:%Y-%m-%d}\tlast used {used}\t{t.name}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = api_token_by_id(organisation=self.organisation, token_id=options["token_id"])
        if token is None:
            raise CommandError(
                f"There is no API token {options['token_id']} in {self.organisation.name}."
            )
        api_token_revoke(actor=ACTOR, token=token)
        self.stdout.write(f"Token {token.pk} revoked.")
