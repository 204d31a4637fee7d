"""The custodians' hand-over page (/staff/identity/hand-over/): pass the identity keys you
hold to a custodian appointed after those cases were created."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from whistledesk.accounts.decorators import role_required
from whistledesk.accounts.keyring import KeyLocked, staff_private_key
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.core.exceptions import DomainError
from whistledesk.identity.handover import hand_overs_for, identity_keys_hand_over


@never_cache
@role_required(Role.CUSTODIAN)
@require_http_methods(["GET", "POST"])
def hand_over_view(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    if request.method == "POST":
        # Another organisation's account answers as one that does not exist (ADR 0017).
        wanted = request.POST.get("custodian", "")
        custodian = get_object_or_404(
            User, organisation_id=actor.organisation_id, pk=int(wanted) if wanted.isdigit() else 0
        )
        try:
            passed = identity_keys_hand_over(
                actor=actor, custodian=custodian, private_key=staff_private_key(request)
            )
        except KeyLocked as exc:
            messages.error(request, exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"{custodian.get_username()} now holds the identity keys of {passed} more "
                f"case{'s' if passed != 1 else ''}.",
            )
        return redirect("identity:hand_over")
    return render(request, "identity/handover.html", {"hand_overs": hand_overs_for(actor)})
