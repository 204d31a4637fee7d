"""Staff pages for the audit log: auditors and managers only. Thin: filter, select, render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from whistledesk.accounts.decorators import role_required
from whistledesk.audit.access import AUDIT_ROLES
from whistledesk.audit.csv_export import csv_lines
from whistledesk.audit.forms import AuditFilterForm
from whistledesk.audit.selectors import audit_event_list, audit_export_rows, audit_head
from whistledesk.audit.services import audit_record
from whistledesk.organisation import tenancy

PAGE_SIZE = 50


@role_required(*AUDIT_ROLES)
def audit_log_view(request: HttpRequest) -> HttpResponse:
    # The viewer's own organisation (the only one they can be signed in to here).
    org = tenancy.request_organisation(request)
    form = AuditFilterForm(request.GET or None)
    filters = form.to_filters() if form.is_bound else None
    page = Paginator(audit_event_list(organisation=org, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "head": audit_head(organisation=org),
            "organisation": org,
        },
    )


@role_required(*AUDIT_ROLES)
def audit_export_view(request: HttpRequest) -> StreamingHttpResponse:
    org = tenancy.request_organisation(request)
    form = AuditFilterForm(request.GET or None)
    filters = form.to_filters() if form.is_bound else None
    # Who took a copy of the log, and of which part, is itself on the record.
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="audit.exported",
            object_type="audit_log",
            details={k: str(v) for k, v in (filters.__dict__ if filters else {}).items() if v},
        )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(
        csv_lines(audit_export_rows(organisation=org, filters=filters)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
