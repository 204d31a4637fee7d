"""Retention policies are set in the admin; every change goes through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from whistledesk.retention.models import LegalHold, RetentionPolicy, RetentionRecord
from whistledesk.retention.services import retention_policy_delete, retention_policy_save


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "outcome", "keep_years", "unassessed_keep_years", "basis")
    list_select_related = ("outcome",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        retention_policy_save(actor=request.user, policy=obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        retention_policy_delete(actor=request.user, policy=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for policy in queryset:
            retention_policy_delete(actor=request.user, policy=policy)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Holds are placed on the staff retention page; records are written by destruction."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ("disclosure", "placed_by", "placed_at", "lifted_by", "lifted_at")
    list_select_related = ("disclosure", "placed_by", "lifted_by")


@admin.register(RetentionRecord)
class RetentionRecordAdmin(ReadOnlyAdmin):
    list_display = ("disclosure", "destroyed_at", "keep_years", "closed_on", "kept_until")
    list_select_related = ("disclosure",)
