"""The "Public form" staff page: managers paste or upload a questionnaire, preview, publish.

Checking and storing are questionnaire_services'; this view reads the text, shows what is
wrong (every problem, saying what to fix) or a preview of each page, and publishes a new
version on request. A full visual builder is not offered: the document is the interface.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from whistledesk.cases.permissions import Perm
from whistledesk.cases.views_permissions import perm_required
from whistledesk.organisation.models import QuestionnaireVersion
from whistledesk.organisation.questionnaire import Questionnaire, QuestionnaireError
from whistledesk.organisation.questionnaire_services import (
    MAX_SOURCE_CHARS,
    questionnaire_check,
    questionnaire_current,
    questionnaire_document,
    questionnaire_publish,
    questionnaire_read_text,
)
from whistledesk.organisation.selectors import NotConfigured, organisation_get


class QuestionnaireForm(forms.Form):
    document = forms.CharField(
        label="Questionnaire (TOML or JSON)",
        help_text="The pages, questions and texts of the public form. Leave the file box empty "
        "to use this text.",
        required=False,
        max_length=MAX_SOURCE_CHARS,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={
            "max_length": f"The questionnaire must be {MAX_SOURCE_CHARS:,} characters or fewer"
        },
    )
    upload = forms.FileField(
        label="Or upload a file (optional)",
        required=False,
        help_text="A .toml or .json file, up to 200 KB.",
    )

    def text(self) -> str:
        upload = self.cleaned_data.get("upload")
        if upload:
            if upload.size > MAX_SOURCE_CHARS:
                raise QuestionnaireError(["the file is larger than 200 KB"])
            try:
                return upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise QuestionnaireError(["the file is not UTF-8 text"]) from None
        return str(self.cleaned_data.get("document") or "")


@require_http_methods(["GET", "POST"])
@perm_required(Perm.EDIT_QUESTIONNAIRE)
def questionnaire_edit(request: HttpRequest) -> HttpResponse:
    try:
        organisation = organisation_get()
    except NotConfigured:
        return render(request, "intake/not_available.html", status=503)
    problems: list[str] = []
    preview: Questionnaire | None = None
    if request.method == "POST":
        form = QuestionnaireForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = questionnaire_read_text(form.text())
                preview = questionnaire_check(organisation=organisation, document=document)
                if request.POST.get("action") == "publish":
                    row = questionnaire_publish(
                        actor=request.user,
                        organisation=organisation,
                        document=document,
                        source="staff",
                    )
                    if row is None:
                        messages.info(request, "This is the questionnaire already in use")
                    else:
                        messages.success(
                            request,
                            f"Version {row.number} of the questionnaire is published. New "
                            "disclosures use it; people already filling in the form keep "
                            "the version they started with.",
                        )
                    return redirect("organisation:questionnaire")
                form = QuestionnaireForm(initial={"document": json.dumps(document, indent=2)})
            except QuestionnaireError as exc:
                problems = exc.problems
    else:
        document = questionnaire_document(organisation=organisation)
        form = QuestionnaireForm(initial={"document": json.dumps(document, indent=2)})
    current = questionnaire_current(organisation=organisation)
    return render(
        request,
        "organisation/questionnaire.html",
        {
            "form": form,
            "problems": problems,
            "preview": preview,
            "current": current,
            "versions": QuestionnaireVersion.objects.filter(organisation=organisation).only(
                "number", "source", "created_at"
            )[:20],
        },
        status=400 if problems else 200,
    )
