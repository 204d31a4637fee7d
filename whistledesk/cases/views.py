"""Staff pages for the register. Thin: validate, call a selector or service, render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from whistledesk.accounts.decorators import staff_required
from whistledesk.cases.forms import DisclosureFilterForm
from whistledesk.cases.selectors import DisclosureFilters, disclosure_list, disclosure_years
from whistledesk.organisation.selectors import NotConfigured, organisation_get

PAGE_SIZE = 50


@staff_required
def disclosure_list_view(request: HttpRequest) -> HttpResponse:
    try:
        organisation = organisation_get()
    except NotConfigured as exc:
        return render(request, "cases/not_configured.html", {"message": str(exc)})
    years = disclosure_years(organisation=organisation)
    form = DisclosureFilterForm(request.GET or None, organisation=organisation, years=years)
    filters = form.to_filters() if form.is_bound else DisclosureFilters()
    qs = disclosure_list(organisation=organisation, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/disclosure_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "total": page.paginator.count},
    )
