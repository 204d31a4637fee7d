"""The Django admin behind the same second factor as the staff pages."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from whistledesk.accounts.decorators import second_factor_redirect
from whistledesk.accounts.two_factor import Step, second_factor_step


class StaffAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_step(request) is Step.THROUGH

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Signed in but short of the second factor: finish it rather than loop on the login.
        if request.user.is_authenticated:
            next_url = request.GET.get("next") or reverse("admin:index")
            pending = second_factor_redirect(request, next_url)
            if pending is not None:
                return pending
        return super().login(request, extra_context)
