from django.contrib import admin
from django.db import models

from whistledesk.organisation import followup_wording, wording
from whistledesk.organisation.models import Organisation, Outcome, ReportYear, ServiceCategory


class ServiceInline(admin.TabularInline):
    model = ServiceCategory
    extra = 0
    fields = ["position", "label", "report_phrase", "active"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    fields = ["position", "label", "further_action", "whistleblower_text", "active"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "year_start_month", "year_start_day"]
    inlines = [ServiceInline, OutcomeInline]
    # Django 6 makes https the default for a typed-in address without a scheme; do so now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_in_sentence",
                    "short_name",
                    ("year_start_month", "year_start_day"),
                    "disclosure_noun",
                    "report_title",
                    "functions_text",
                    "policy_url",
                    "policy_text",
                    "public_guidance",
                ]
            },
        ),
        (
            "Privacy notice",
            {
                "description": "Shown at /privacy/. Blank fields take the default wording; "
                "the retention section comes from the retention policies when left blank.",
                "fields": [
                    "contact_email",
                    "controller_name",
                    "controller_address",
                    "dpo_email",
                    "ico_registration",
                    "privacy_lawful_basis",
                    "privacy_recipients",
                    "privacy_retention",
                    "privacy_more",
                ],
            },
        ),
        (
            "Accessibility statement",
            {
                "description": "Shown at /accessibility/ (Public Sector Bodies Accessibility "
                "Regulations 2018). Requests for other formats go to the contact email.",
                "fields": [
                    "accessibility_status",
                    "accessibility_problems",
                    ("accessibility_prepared_on", "accessibility_reviewed_on"),
                    "accessibility_method",
                    "accessibility_enforcement",
                ],
            },
        ),
        (
            "Report wording",
            {
                "description": "Sentence templates for the annual report. Write placeholders "
                "in braces, e.g. {count}; each field lists the ones it accepts. Write {{ or }} "
                "for a literal brace.",
                "fields": [f"wording_{key}" for key in wording.DEFAULTS],
            },
        ),
        (
            "Messages to whistleblowers",
            {
                "description": "Acknowledgement, feedback and outcome messages (follow-up "
                "inbox, letter or email). Placeholders in braces; staff can edit before sending.",
                "fields": [f"followup_{kind}" for kind in followup_wording.DEFAULTS],
            },
        ),
    ]


@admin.register(ReportYear)
class ReportYearAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year"]
