"""The staff dashboard: the register's working lists, filters and search. Thin."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from whistledesk.accounts.decorators import staff_required
from whistledesk.accounts.roles import Role
from whistledesk.audit.selectors import throttle_alarms_since
from whistledesk.cases.forms import DisclosureFilterForm
from whistledesk.cases.permissions import Perm, has_perm
from whistledesk.cases.selectors import (
    DashboardList,
    DisclosureFilters,
    IdFirstPaginator,
    awaiting_safeguarding_count,
    dashboard_tabs,
    disclosure_list,
    disclosure_years,
)
from whistledesk.organisation.selectors import NotConfigured, organisation_get

PAGE_SIZE = 50


@staff_required
def disclosure_list_view(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.VIEW_REGISTER):
        return render(
            request,
            "cases/refused.html",
            {"message": "Your account has no role yet. Ask a manager to give you one."},
            status=403,
        )
    try:
        organisation = request.organisation or organisation_get()  # type: ignore[attr-defined]
    except NotConfigured as exc:
        return render(request, "cases/not_configured.html", {"message": str(exc)})
    try:
        which = DashboardList(request.GET.get("list", DashboardList.ALL))
    except ValueError:
        which = DashboardList.ALL
    is_lead = request.user.has_role(Role.SAFEGUARDING_LEAD)  # type: ignore[union-attr]
    years = disclosure_years(organisation=organisation)
    form = DisclosureFilterForm(request.GET or None, organisation=organisation, years=years)
    filters = form.to_filters() if form.is_bound else DisclosureFilters()
    qs = disclosure_list(organisation=organisation, filters=filters, which=which, user=request.user)
    page = IdFirstPaginator(qs, PAGE_SIZE, organisation=organisation).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = request.GET.copy()
    tab_query.pop("page", None)
    tab_query.pop("list", None)
    return render(
        request,
        "cases/disclosure_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "total": page.paginator.count,
            "which": which,
            "tabs": dashboard_tabs(user=request.user),
            # The alert at the top of a safeguarding lead's dashboard.
            "awaiting_lead": (
                awaiting_safeguarding_count(organisation=organisation) if is_lead else 0
            ),
            "can_record": has_perm(request.user, Perm.RECORD_DISCLOSURE),
            "busy_alarms": throttle_alarms_since(timezone.now() - dt.timedelta(hours=24)),
        },
    )
