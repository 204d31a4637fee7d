"""The Django admin: behind the same second factor as the staff pages, and inside the
request's organisation (ADR 0017).

Every model admin registered on the site is made an `OrganisationScopedAdmin` when it is
registered (`StaffAdminSite.register`), so no admin, ours or a library's, can list, open,
offer as a choice or save another organisation's rows. A superuser is a superuser of their
own organisation only: the sign-in already made them anonymous anywhere else
(accounts/middleware.py), and here every queryset names the request's organisation.

How a model reaches its organisation (`organisation_lookup`) is found once, from the model:
- the Organisation itself: its own row only;
- a model with an `organisation` field: that field;
- otherwise one foreign key away (`disclosure__organisation`, `user__organisation`...),
  non-nullable keys first; a row whose key is empty belongs to nobody and is not shown.
A model with no path at all is the installation's, not an organisation's (axes' lock-out
table, the task queue): the admin shows it only while the installation has one
organisation, whose administrators run the installation; with several, to nobody.
A model admin may set `organisation_lookup` itself where the guess would be wrong.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin import AdminSite, ModelAdmin, RelatedOnlyFieldListFilter
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.forms import Field as FormField
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from whistledesk.accounts.decorators import second_factor_redirect
from whistledesk.accounts.two_factor import Step, second_factor_step

# `organisation_lookup` for a model with no path to an organisation.
INSTALLATION = "__installation__"


def organisation_lookup_for(model: type[models.Model]) -> str:
    """The ORM path from `model` to its organisation ("pk" for the Organisation itself)."""
    organisation_model = apps.get_model("organisation", "Organisation")
    if model is organisation_model:
        return "pk"
    if _points_to(model, "organisation", organisation_model):
        return "organisation"
    keys = [
        f
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    ]
    keys.sort(key=lambda f: f.null)  # a non-nullable key first: every row has a parent
    for key in keys:
        parent = key.related_model
        if parent is organisation_model:
            return key.name
        if _points_to(parent, "organisation", organisation_model):
            return f"{key.name}__organisation"
    return INSTALLATION


def _points_to(model: type[models.Model], name: str, target: type[models.Model]) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist
        return False
    return getattr(field, "related_model", None) is target


def request_organisation(request: HttpRequest) -> Any:
    return getattr(request, "organisation", None)


def scope_queryset(
    queryset: QuerySet[Any], request: HttpRequest, lookup: str | None = None
) -> QuerySet[Any]:
    """`queryset` cut down to the request's organisation's rows (none for a model that
    belongs to no organisation, while the installation has several)."""
    lookup = lookup or organisation_lookup_for(queryset.model)
    org = request_organisation(request)
    if lookup == INSTALLATION:
        return queryset if _runs_the_installation(request) else queryset.none()
    # No organisation (none configured yet): the rows of none, as sign-in does.
    return queryset.filter(**{lookup: org.pk if org is not None else None})


def _runs_the_installation(request: HttpRequest) -> bool:
    from whistledesk.organisation.models import Organisation
    from whistledesk.organisation.tenancy import sole_organisation

    org = request_organisation(request)
    if org is None:  # nothing configured yet: the first administrator sets it up
        return not Organisation.objects.exists()
    sole = sole_organisation()
    return sole is not None and sole.pk == org.pk


def _scope_choices(formfield: FormField | None, request: HttpRequest) -> FormField | None:
    queryset = getattr(formfield, "queryset", None)
    # Shared vocabularies (the roles, content types) belong to no organisation: offered as
    # they are. Every row that belongs to one is offered only to its organisation.
    if (
        formfield is not None
        and queryset is not None
        and organisation_lookup_for(queryset.model) != INSTALLATION
    ):
        formfield.queryset = scope_queryset(queryset, request)  # type: ignore[attr-defined]
    return formfield


class _ScopedChoices:
    """Foreign-key and many-to-many choices only from the request's organisation."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        _scope_choices(field, request)
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        _scope_choices(field, request)
        return field


class OrganisationScopedInline(_ScopedChoices, InlineModelAdmin):
    """An inline's rows come through its (scoped) parent; its choices are scoped here."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(super().get_queryset(request), request)


class OrganisationScopedAdmin(_ScopedChoices, ModelAdmin):
    """A model admin that sees, offers and saves only the request's organisation's rows.

    Another organisation's row answers exactly as a row that does not exist: 404.
    """

    organisation_lookup: str | None = None

    def _lookup(self) -> str:
        return self.organisation_lookup or organisation_lookup_for(self.model)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(super().get_queryset(request), request, self._lookup())

    def has_module_permission(self, request: HttpRequest) -> bool:
        if self._shared_and_not_theirs(request):
            return False
        return bool(super().has_module_permission(request))

    def _shared_and_not_theirs(self, request: HttpRequest) -> bool:
        return self._lookup() == INSTALLATION and not _runs_the_installation(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._shared_and_not_theirs(request):
            return False
        return bool(super().has_view_permission(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._shared_and_not_theirs(request):
            return False
        return bool(super().has_change_permission(request, obj))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if self._lookup() == "pk":
            return False  # organisations are added by `configure_organisation` (docs/operations)
        if self._shared_and_not_theirs(request):
            return False
        return bool(super().has_add_permission(request, *args))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._lookup() == "pk" or self._shared_and_not_theirs(request):
            return False
        return bool(super().has_delete_permission(request, obj))

    def get_list_filter(self, request: HttpRequest) -> Any:
        """A filter by a related row lists only rows in the (scoped) list, never every
        organisation's (a service category's label is the organisation's own)."""
        scoped = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and "__" not in entry:
                try:
                    field = self.model._meta.get_field(entry)
                except Exception:  # FieldDoesNotExist: a method or a custom filter name
                    field = None
                if field is not None and field.is_relation:
                    entry = (entry, RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        instances = super().get_inline_instances(request, obj)
        for inline in instances:
            if not isinstance(inline, OrganisationScopedInline):
                inline.__class__ = type(
                    f"Scoped{type(inline).__name__}",
                    (OrganisationScopedInline, type(inline)),
                    {},
                )
        return instances

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self.check_organisation(request, obj)
        super().save_model(request, obj, form, change)

    def check_organisation(self, request: HttpRequest, obj: Any) -> None:
        """A new row with an `organisation` field left empty is the request's organisation's;
        one naming another organisation is refused. Admins that save through a service
        call this first."""
        if self._lookup() != "organisation":
            return
        org = request_organisation(request)
        if obj.organisation_id is None and org is not None:
            obj.organisation = org
        if org is None or obj.organisation_id != org.pk:
            raise PermissionDenied

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        # Django's admin sends a missing row back to the index with its id in a message;
        # a row of another organisation must answer exactly as one that does not exist, and
        # as everywhere else in the product that answer is 404.
        raise Http404("There is nothing here.")


def scoped_admin_class(admin_class: type[ModelAdmin]) -> type[ModelAdmin]:
    if issubclass(admin_class, OrganisationScopedAdmin):
        return admin_class
    return type(f"Scoped{admin_class.__name__}", (OrganisationScopedAdmin, admin_class), {})


class StaffAdminSite(AdminSite):
    """The admin site of `django.contrib.admin.site` (settings: StaffAdminConfig)."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        super().register(
            model_or_iterable, scoped_admin_class(admin_class or admin.ModelAdmin), **options
        )

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_step(request) is Step.THROUGH

    def password_change(  # type: ignore[override]  # a redirect, not the admin's own page
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponse:
        # The admin's own form would set the password without re-wrapping the private key
        # (every case key sealed to it would be lost): the staff page does it properly.
        return HttpResponseRedirect(reverse("accounts:password_change"))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Signed in but short of the second factor: finish it rather than loop on the login.
        if request.user.is_authenticated:
            next_url = request.GET.get("next") or reverse("admin:index")
            pending = second_factor_redirect(request, next_url)
            if pending is not None:
                return pending
        return super().login(request, extra_context)
