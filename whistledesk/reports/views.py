"""Staff pages for the annual report. (Placeholder until the report module lands.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from whistledesk.accounts.decorators import staff_required


@staff_required
def annual_report_view(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/not_configured.html", {"message": "Report coming."})
