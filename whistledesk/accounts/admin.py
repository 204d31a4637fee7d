"""Staff accounts in the admin: read-only.

Creating people, changing roles, deactivating and resetting passwords happen only on the
people pages (/staff/people/), through services that revoke keys and write the audit chain.
The stock user and group admin would be a second, unaudited path (issue 8), so the user
list is view-only and groups (the roles) are not in the admin at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from whistledesk.accounts.models import User

if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class ReadOnlyUserAdmin(admin.ModelAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "last_login")
    list_filter = ("is_active",)
    search_fields = ("username",)
    fields = ("username", "first_name", "last_name", "email", "is_active", "groups", "last_login")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
