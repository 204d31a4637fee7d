from django.contrib import admin
from django.http import HttpRequest

from whistledesk.cases.models import Disclosure


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    """Read-only here: every change to a case goes through the services and their audit."""

    list_display = ["reference", "received_on", "channel", "service", "status", "outcome"]
    list_filter = ["channel", "status", "service"]
    search_fields = ["reference"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
