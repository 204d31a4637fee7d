"""Replies waiting: messages and files from the whistleblower that nobody has read yet.

"Read" is kept per case, for the whole office, not per person. A shared office works a
case as a team: once one key holder has opened the case file and read the reply, it is no
longer waiting for anyone, and a marker that stayed lit for every colleague who has not
opened it would soon be ignored. So the first person who reads a reply clears it for
everyone, and the case page says who read it and when (`Message.read_by_staff_member`,
`read_by_staff_at`), so a colleague knows whom to ask. Reading happens only where the
reply is decrypted for a key holder the access policy allows (`casefiles.services.
message_list_for_staff`, called by the sealed case file page, audited as
`message.read_by_staff` with `newly_read`); loading the register or the case page clears
nothing.

A file the whistleblower sends from the follow-up inbox travels with a message, so an
unread message covers it too.

Cost: the state lives on the message rows (no copy on the register to drift). The
"Replies waiting" list is a range on the `message_unread` index (direction, unread, case):
unread replies are few whatever the size of the register. The marker on a page of the
register is one EXISTS per row on the thread index, inside the page's one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery

from whistledesk.casefiles.models import Direction, Message

UNREAD = Q(direction=Direction.FROM_SOURCE, read_by_staff_at__isnull=True)


def _unread() -> QuerySet[Message]:
    return Message.objects.filter(UNREAD)


def with_replies_flag(cases: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate each case with `replies_unread` (bool), for the register's marker."""
    return cases.annotate(replies_unread=Exists(_unread().filter(disclosure_id=OuterRef("pk"))))


def replies_waiting(cases: QuerySet[Any]) -> QuerySet[Any]:
    """The cases of `cases` with an unread reply, annotated with `waiting_since` (the oldest
    unread reply's time). The caller narrows `cases` to what the viewer may read first."""
    oldest = (
        _unread()
        .filter(disclosure_id=OuterRef("pk"))
        .order_by()
        .values("disclosure_id")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    return cases.filter(pk__in=_unread().values("disclosure_id")).annotate(
        waiting_since=Subquery(oldest)
    )


@dataclass(frozen=True)
class RepliesState:
    """What the case page says about the whistleblower's replies."""

    unread: int
    waiting_since: dt.datetime | None
    # The latest reading that cleared replies, for "read by ... on ...".
    last_read_at: dt.datetime | None
    last_read_by: str | None


def replies_state(*, disclosure_id: int) -> RepliesState:
    """Two indexed queries on the case's thread; no content is opened."""
    waiting = (
        _unread()
        .filter(disclosure_id=disclosure_id)
        .aggregate(n=Count("id"), first=Min("created_at"))
    )
    last = (
        Message.objects.filter(
            disclosure_id=disclosure_id,
            direction=Direction.FROM_SOURCE,
            read_by_staff_at__isnull=False,
        )
        .select_related("read_by_staff_member")
        .order_by("-read_by_staff_at", "-id")
        .first()
    )
    reader = last.read_by_staff_member if last is not None else None
    return RepliesState(
        unread=waiting["n"],
        waiting_since=waiting["first"],
        last_read_at=last.read_by_staff_at if last is not None else None,
        last_read_by=reader.get_username() if reader is not None else None,
    )
