"""The API's endpoints. Thin: validate, check the role, call one selector or service.

The rules (who may move a case where, the safeguarding gate, the report's figures) live in
cases and reports; the API adds none and skips none.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router

from whistledesk.accounts.keyring import KeyLocked
from whistledesk.api.schemas import (
    DisclosureDetailOut,
    DisclosurePage,
    DisclosureQuery,
    TaxonomyOut,
    TransitionIn,
    detail_row,
    register_row,
)
from whistledesk.cases.models import Disclosure, Status
from whistledesk.cases.permissions import Perm, allowed_perms, require
from whistledesk.cases.selectors import DisclosureFilters, disclosure_get, disclosure_list
from whistledesk.cases.workflow import TRANSITIONS, disclosure_transition, transitions_from
from whistledesk.core.exceptions import DomainError
from whistledesk.organisation.selectors import organisation_get, outcome_list, service_list
from whistledesk.reports.disclosure_check import report_for_publication

router = Router()

# A reason is a note sealed under the case key, and a token carries no key: the private
# key is unlocked only by a password at sign-in, so the API cannot seal notes.
NO_KEY_FOR_REASON = (
    "A reason is sealed under the case key, which the API does not hold. Make this move "
    "on the case page, or make it here without a reason where the move does not need one."
)
# Acknowledging a web disclosure writes to the whistleblower's inbox, under the case key.
NO_KEY_FOR_ACKNOWLEDGEMENT = (
    "Acknowledging a web disclosure puts a message in the whistleblower's inbox, sealed "
    "under the case key, which the API does not hold. Acknowledge it on the case page."
)


def _load(request: HttpRequest, reference: str) -> Disclosure:
    # Looked up within the address's organisation: another organisation's case is answered
    # exactly as a reference that does not exist.
    disclosure = disclosure_get(organisation=organisation_get(), reference=reference)
    if disclosure is None:
        raise Http404
    require(request.user, Perm.VIEW_CASE, disclosure)
    return disclosure


def _detail(request: HttpRequest, disclosure: Disclosure) -> dict[str, Any]:
    perms = allowed_perms(request.user, disclosure)
    current = Status(disclosure.status)
    moves = [to for to in transitions_from(current) if TRANSITIONS[(current, to)] in perms]
    return detail_row(disclosure, moves)


@router.get("/disclosures", response=DisclosurePage, tags=["disclosures"])
def list_disclosures(request: HttpRequest, q: Query[DisclosureQuery]) -> dict[str, Any]:
    """The register, newest first, with the staff list's filters."""
    require(request.user, Perm.VIEW_REGISTER)
    organisation = organisation_get()
    qs = disclosure_list(
        organisation=organisation,
        user=request.user,
        filters=DisclosureFilters(
            year=q.year,
            service_id=q.service,
            outcome_id=q.outcome,
            status=q.status.value if q.status else None,
        ),
    )
    count = qs.count()
    # Ids first, then the rows: a deep offset walks the index, not the table.
    ids = list(qs.values_list("pk", flat=True)[q.offset : q.offset + q.limit])
    rows = Disclosure.objects.filter(organisation=organisation, pk__in=ids).select_related(
        "service", "outcome"
    )
    by_id = {d.pk: d for d in rows}
    end = q.offset + q.limit
    return {
        "count": count,
        "limit": q.limit,
        "offset": q.offset,
        "next_offset": end if end < count else None,
        "results": [register_row(by_id[i]) for i in ids if i in by_id],
    }


@router.get("/disclosures/{reference}", response=DisclosureDetailOut, tags=["disclosures"])
def get_disclosure(request: HttpRequest, reference: str) -> dict[str, Any]:
    """One disclosure's register fields and the moves you may make on it now."""
    return _detail(request, _load(request, reference))


@router.post(
    "/disclosures/{reference}/transition", response=DisclosureDetailOut, tags=["disclosures"]
)
def transition_disclosure(
    request: HttpRequest, reference: str, body: TransitionIn
) -> dict[str, Any]:
    """Move a case to another status through the same service as the case page.

    Closing needs an outcome and is refused (409) while a safeguarding concern is open.
    A reason cannot be given here (422): it is sealed under the case key, which a token
    does not carry, so reopening (which needs one) is done on the case page.
    """
    disclosure = _load(request, reference)
    outcome = None
    if body.outcome is not None:
        outcomes = outcome_list(organisation=disclosure.organisation)
        outcome = next((o for o in outcomes if o.pk == body.outcome), None)
        if outcome is None:
            raise DomainError("There is no outcome with that id.", field="outcome")
    try:
        moved = disclosure_transition(
            actor=request.user,
            disclosure=disclosure,
            to=body.to,
            reason=body.reason,
            outcome=outcome,
        )
    except KeyLocked as exc:
        if body.to == Status.ACKNOWLEDGED:
            raise DomainError(NO_KEY_FOR_ACKNOWLEDGEMENT) from exc
        raise DomainError(NO_KEY_FOR_REASON, field="reason") from exc
    again = disclosure_get(organisation=organisation_get(), reference=moved.reference)
    return _detail(request, again or moved)


@router.get("/taxonomy", response=TaxonomyOut, tags=["organisation"])
def taxonomy(request: HttpRequest) -> dict[str, Any]:
    """The configured services and outcomes, with the ids the filters and closing use."""
    require(request.user, Perm.VIEW_REGISTER)
    organisation = organisation_get()
    return {
        "services": service_list(organisation=organisation),
        "outcomes": outcome_list(organisation=organisation),
    }


@router.get("/reports/annual/{year}", response=dict, tags=["reports"])
def annual_report(request: HttpRequest, year: int) -> dict[str, Any]:
    """The annual report as JSON: the same document as `annual_report --format json`.

    Open to every staff role, as the report page is: it holds only published figures.
    """
    return report_for_publication(organisation=organisation_get(), year=year).as_dict()
