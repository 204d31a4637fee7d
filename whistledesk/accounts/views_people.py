"""The people pages (/staff/people/): managers add staff, change roles, appoint and end
identity custodians, deactivate and reactivate accounts and reset passwords.

Each page calls one audited service in accounts.services and says plainly what the change
does to the person's keys (docs/adr/0002, 0004). Only managers reach these pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from whistledesk.accounts.decorators import role_required
from whistledesk.accounts.forms_people import PasswordResetForm, PersonAddForm, RolesForm
from whistledesk.accounts.keyring import KeyLocked, staff_private_key
from whistledesk.accounts.models import User
from whistledesk.accounts.roles import Role
from whistledesk.accounts.selectors import role_values, staff_get, staff_list
from whistledesk.accounts.services import (
    user_case_keys_restore,
    user_create,
    user_custodian_appoint,
    user_custodian_end,
    user_deactivate,
    user_password_reset,
    user_reactivate,
    user_roles_set,
)
from whistledesk.core.exceptions import DomainError

PAGE_SIZE = 50


def _person(request: HttpRequest, pk: int) -> User:
    """A member of staff of the manager's own organisation; another's is 404, as none."""
    person = staff_get(organisation=request.organisation, pk=pk)  # type: ignore[attr-defined]
    if person is None:
        raise Http404("There is no member of staff with that number.")
    return person


def _keys(n: int, what: str) -> str:
    return f"{n} {what} key{'s' if n != 1 else ''}"


def _error_into(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@never_cache
@role_required(Role.MANAGER)
def people_list_view(request: HttpRequest) -> HttpResponse:
    people = staff_list(organisation=request.organisation)  # type: ignore[attr-defined]
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/people/list.html", {"page": page, "people": page.object_list})


@never_cache
@role_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def person_add_view(request: HttpRequest) -> HttpResponse:
    form = PersonAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = user_create(
                actor=request.user,
                username=data["username"],
                password=data["new_password"],
                roles=data["roles"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except DomainError as exc:
            _error_into(form, exc)
        else:
            messages.success(
                request,
                f"{person.get_username()} can now sign in with the first password you chose. "
                "Give it to them in person; they should change it on their "
                "'Change your password' page.",
            )
            return redirect("people:detail", pk=person.pk)
    return render(request, "accounts/people/add.html", {"form": form})


def _detail(
    request: HttpRequest, person: User, roles_form: RolesForm | None = None
) -> HttpResponse:
    from whistledesk.cases.models import Disclosure  # cases builds on accounts

    roles = role_values(person)
    context = {
        "person": person,
        "is_self": person.pk == request.user.pk,
        "is_custodian": Role.CUSTODIAN.value in roles,
        "roles_form": roles_form or RolesForm(initial={"roles": roles}),
        "handling": Disclosure.objects.filter(organisation=person.organisation, handler=person)
        .exclude(status="closed")
        .count(),
        "case_keys": _keys(person.case_keys, "case"),  # type: ignore[attr-defined]
        "identity_keys": _keys(person.identity_keys, "identity"),  # type: ignore[attr-defined]
    }
    return render(request, "accounts/people/person.html", context)


@never_cache
@role_required(Role.MANAGER)
def person_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _person(request, pk))


@role_required(Role.MANAGER)
@require_POST
def person_roles_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            revoked = user_roles_set(
                actor=request.user, user=person, roles=form.cleaned_data["roles"]
            )
        except DomainError as exc:
            _error_into(form, exc)
        else:
            messages.success(
                request,
                f"{person.get_username()}'s roles are changed. "
                f"{revoked} key{'s' if revoked != 1 else ''} they no longer need "
                f"{'were' if revoked != 1 else 'was'} removed.",
            )
            return redirect("people:detail", pk=person.pk)
    return _detail(request, person, roles_form=form)


@role_required(Role.MANAGER)
@require_POST
def person_custodian_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        if request.POST.get("appointment") == "end":
            revoked = user_custodian_end(actor=request.user, user=person)
            messages.success(
                request,
                f"{person.get_username()} is no longer an identity custodian. "
                f"{_keys(revoked, 'identity')} held as custodian "
                f"{'were' if revoked != 1 else 'was'} removed.",
            )
        else:
            user_custodian_appoint(actor=request.user, user=person)
            messages.success(
                request,
                f"{person.get_username()} is now an identity custodian. New cases are sealed "
                "to them; a custodian who holds older cases' identity keys passes them on.",
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("people:detail", pk=person.pk)


@role_required(Role.MANAGER)
@require_POST
def person_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        user_deactivate(actor=request.user, user=person)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{person.get_username()} is deactivated: signed out everywhere, and every case "
            "and identity key they held is removed.",
        )
    return redirect("people:detail", pk=person.pk)


@role_required(Role.MANAGER)
@require_POST
def person_reactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        user_reactivate(actor=request.user, user=person)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{person.get_username()} can sign in again. They hold no keys to older cases "
            "until a key holder gives them back (for example by assigning a case to them).",
        )
    return redirect("people:detail", pk=person.pk)


@never_cache
@role_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def person_password_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    is_self = person.pk == request.user.pk
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            removed = user_password_reset(
                actor=request.user, user=person, new_password=form.cleaned_data["new_password"]
            )
        except DomainError as exc:
            _error_into(form, exc)
        else:
            messages.success(
                request,
                f"{person.get_username()}'s password is reset and they are signed out "
                f"everywhere. {_keys(removed, 'case or identity')} "
                f"{'were' if removed != 1 else 'was'} deleted with their old key.",
            )
            return redirect("people:detail", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "is_self": is_self,
        "case_keys": _keys(person.case_keys, "case"),  # type: ignore[attr-defined]
        "identity_keys": _keys(person.identity_keys, "identity"),  # type: ignore[attr-defined]
    }
    return render(request, "accounts/people/reset_password.html", context)


@role_required(Role.MANAGER)
@require_POST
def person_keys_restore_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        restored = user_case_keys_restore(
            actor=request.user, user=person, private_key=staff_private_key(request)
        )
    except KeyLocked as exc:
        messages.error(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{_keys(restored, 'case')} sealed to {person.get_username()} again with your key.",
        )
    return redirect("people:detail", pk=person.pk)
