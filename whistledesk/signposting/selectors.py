"""Reads: the directory (search), the message a case would get, the signposts on a case."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from whistledesk.cases.models import Disclosure
from whistledesk.organisation.models import Organisation
from whistledesk.signposting.message import DEFAULT_TEMPLATE, message_fill
from whistledesk.signposting.models import DirectorySource, PrescribedPerson, Signpost

MAX_QUERY = 100


def directory_search(*, query: str = "") -> QuerySet[PrescribedPerson]:
    """Bodies in the directory (not withdrawn) whose name, key or matters contain every word
    of `query`, by name. The directory is small (under a hundred bodies)."""
    bodies = PrescribedPerson.objects.filter(withdrawn_at__isnull=True)
    for word in query[:MAX_QUERY].split():
        bodies = bodies.filter(
            Q(name__icontains=word) | Q(key__icontains=word) | Q(matters__icontains=word)
        )
    return bodies.order_by("name", "id")


def directory_body(*, key: str) -> PrescribedPerson | None:
    return PrescribedPerson.objects.filter(key=key, withdrawn_at__isnull=True).first()


def directory_source() -> DirectorySource | None:
    return DirectorySource.objects.first()


def signpost_template(*, organisation: Organisation) -> str:
    """The organisation's wording, or the default."""
    stored = getattr(organisation, "signpost_message", None)
    return stored.text if stored is not None else DEFAULT_TEMPLATE


def signpost_text(*, disclosure: Disclosure, body: PrescribedPerson) -> str:
    """The message the whistleblower of `disclosure` gets for `body`."""
    organisation = disclosure.organisation
    return message_fill(
        signpost_template(organisation=organisation),
        {
            "reference": disclosure.reference,
            "organisation": organisation.sentence_name,
            "body": body.name,
            "matters": body.matters,
            "contact": body.contact_route,
        },
    )


def case_signposts(*, disclosure: Disclosure) -> QuerySet[Signpost]:
    return Signpost.objects.filter(disclosure=disclosure).select_related("body", "recorded_by")
