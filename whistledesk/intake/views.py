"""Public pages. They work without JavaScript and store no IP address or user agent."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/start.html")
