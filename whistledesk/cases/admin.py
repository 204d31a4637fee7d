"""Admin: the referral directory is configured here; the register is read-only.

Every change to a case goes through the services and their audit, so no case or casework
model can be added, changed, deleted or bulk-actioned here (the safeguarding gate has no
way round through the admin). Who may see a disclosure here is the access policy's
decision (cases.permissions), as on the staff pages: being a superuser is not enough.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from whistledesk.cases.models import Disclosure, ReferralBody
from whistledesk.cases.permissions import Perm, can_act_on, has_perm, organisation_cases


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ["reference", "received_on", "channel", "service", "status", "outcome"]
    # Only the services of the cases listed: never another organisation's taxonomy.
    list_filter = ["channel", "status", ("service", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reference"]
    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Disclosure]:
        # The user's organisation's cases only: another organisation's case is "not found",
        # the same as a missing one. The view permission below decides the rest.
        return organisation_cases(request.user, super().get_queryset(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.VIEW_REGISTER)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if obj is None:
            return has_perm(request.user, Perm.VIEW_REGISTER)
        return can_act_on(request.user, Perm.VIEW_CASE, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ReferralBody)
class ReferralBodyAdmin(admin.ModelAdmin):
    """The directory of bodies concerns are passed to. Retire a body rather than delete it."""

    list_display = ["name", "kind", "reassurance_days", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
