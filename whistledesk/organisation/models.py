"""The organisation and the configurable taxonomy that the register and reports use.

One installation serves one or several organisations (docs/adr/0017): each is found by its
own host name or its path prefix (organisation/tenancy.py), and every row of the register,
the keys, the audit chain and the reports belongs to exactly one. Services and outcomes are
ordered lists whose order is the order of the annual report's tables.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from whistledesk.core.models import TimeStampedModel
from whistledesk.organisation import followup_wording, wording


def validate_year_start(month: int, day: int) -> None:
    # 29 February would leave most reporting years without a start date.
    try:
        dt.date(2023, month, day)
    except ValueError as exc:
        raise ValidationError(
            f"year start {month:02d}-{day:02d} is not a date in every year (use MM-DD)"
        ) from exc


def _wording_field(key: str) -> models.CharField:
    template = wording.BY_KEY[key]
    return models.CharField(
        max_length=wording.MAX_LENGTH,
        default=template.default,
        validators=[wording.TemplateValidator(key)],
        help_text=f"{template.help} Placeholders: "
        + ", ".join(f"{{{p}}}" for p in sorted(template.placeholders)),
    )


def _followup_field(kind: str) -> models.TextField:
    template = followup_wording.BY_KIND[kind]
    return models.TextField(
        default=template.default,
        blank=True,
        validators=[followup_wording.FollowupTemplateValidator(kind)],
        help_text="Blank: the shipped default. Placeholders: "
        + ", ".join(f"{{{p}}}" for p in sorted(template.placeholders)),
    )


class AccessibilityStatus(models.TextChoices):
    """The compliance status an accessibility statement must give (2018 Regulations)."""

    FULL = "full", "Fully compliant"
    PARTIAL = "partial", "Partially compliant"
    NOT = "not", "Not compliant"


class EnforcementBody(models.TextChoices):
    """Who enforces the accessibility regulations where the organisation is."""

    EHRC = "ehrc", "Equality and Human Rights Commission (England, Scotland, Wales)"
    ECNI = "ecni", "Equality Commission for Northern Ireland"


LANGUAGES = ("en", "cy")  # English always; Welsh where the organisation enables it


def validate_languages(value: str) -> None:
    codes = [c.strip() for c in value.split(",") if c.strip()]
    if not codes or codes[0] != "en":
        raise ValidationError("languages must start with en (English), e.g. 'en' or 'en,cy'")
    for code in codes:
        if code not in LANGUAGES:
            raise ValidationError(f"unknown language {code!r}: the choices are en and cy")
    if len(set(codes)) != len(codes):
        raise ValidationError("a language is listed twice")


# First path segments the installation uses itself: no organisation may take one as its slug.
RESERVED_SLUGS = frozenset(
    {
        "staff",
        "api",
        "admin",
        "static",
        "media",
        "report",
        "follow-up",
        "privacy",
        "accessibility",
        "cookies",
        "whistleblowing-policy",
        "healthz",
        "language",
        "i18n",
        "favicon.ico",
        "robots.txt",
        "organisations",
        "en",
        "cy",
    }
)


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            f"the slug {value!r} is a path the service itself uses; choose another "
            "(e.g. the organisation's initials)"
        )


class Organisation(TimeStampedModel):
    name = models.CharField(max_length=200, help_text="The organisation's name, as a title.")
    # Where the organisation is served (organisation/tenancy.py): at its own host name when one
    # is set, otherwise under /<slug>/; an installation with one organisation serves it at /.
    slug = models.SlugField(
        max_length=40,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text="Its path in a shared installation, e.g. 'cco' serves /cco/.",
    )
    host = models.CharField(
        max_length=253,
        blank=True,
        default="",
        help_text="Its own host name, e.g. 'whistleblowing.example.org' (blank: none). It must "
        "also be in ALLOWED_HOSTS.",
    )
    languages = models.CharField(
        max_length=20,
        default="en",
        validators=[validate_languages],
        help_text="The languages of its public service: 'en', or 'en,cy' to offer Welsh too.",
    )
    name_in_sentence = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name inside a sentence, e.g. 'the Children's Commissioner's Office' "
        "(blank: the name as it is).",
    )
    short_name = models.CharField(
        max_length=40, blank=True, help_text="Used in comparisons, e.g. 'CCO received 17'."
    )
    year_start_month = models.PositiveSmallIntegerField(default=4)
    year_start_day = models.PositiveSmallIntegerField(default=1)
    disclosure_noun = models.CharField(
        max_length=80,
        default="whistleblowing disclosures",
        help_text="How the report names what was received, e.g. 'whistle-blowing concerns'.",
    )
    report_title = models.CharField(max_length=200, default="Whistleblowing Disclosures")
    # Disclosure control (reports/disclosure_control.py, ADR 0015): a table cell counting
    # fewer than this many disclosures, but some, is flagged before publication.
    small_cell_threshold = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Table cells counting fewer than this (but more than 0) are flagged before "
        "the report is published. 1 flags none.",
    )
    functions_text = models.TextField(
        blank=True, help_text="The report's introduction: the organisation's functions (Markdown)."
    )
    policy_url = models.URLField(blank=True)
    public_guidance = models.TextField(
        blank=True, help_text="Shown on the public start page: policy and guidance (Markdown)."
    )
    policy_text = models.TextField(
        blank=True,
        help_text="The whistleblowing policy, shown as a page (Markdown). Blank: a summary of "
        "how disclosures are handled, with a link to the policy address if one is given.",
    )
    # The public legal pages (intake/views_legal.py). Blank fields take sound defaults.
    contact_email = models.EmailField(
        blank=True, help_text="For privacy and accessibility requests about this service."
    )
    controller_name = models.CharField(
        max_length=200, blank=True, help_text="The data controller (blank: the name above)."
    )
    controller_address = models.TextField(blank=True, help_text="The controller's postal address.")
    dpo_email = models.EmailField(blank=True, help_text="The data protection officer's email.")
    ico_registration = models.CharField(
        max_length=20, blank=True, help_text="Registration number with the ICO."
    )
    privacy_lawful_basis = models.TextField(
        blank=True, help_text="The lawful basis for processing (Markdown; blank: the default)."
    )
    privacy_recipients = models.TextField(
        blank=True,
        help_text="Who receives the information, and any transfer outside the UK (Markdown; "
        "blank: the default).",
    )
    privacy_retention = models.TextField(
        blank=True,
        help_text="How long information is kept (Markdown; blank: from the retention policies).",
    )
    privacy_more = models.TextField(
        blank=True, help_text="Anything else for the privacy notice (Markdown)."
    )
    accessibility_status = models.CharField(
        max_length=10, choices=AccessibilityStatus.choices, default=AccessibilityStatus.PARTIAL
    )
    accessibility_problems = models.TextField(
        blank=True, help_text="Content that is not accessible, and why (Markdown)."
    )
    accessibility_prepared_on = models.DateField(null=True, blank=True)
    accessibility_reviewed_on = models.DateField(null=True, blank=True)
    accessibility_method = models.TextField(
        blank=True, help_text="How and by whom the service was tested (Markdown)."
    )
    accessibility_enforcement = models.CharField(
        max_length=10, choices=EnforcementBody.choices, default=EnforcementBody.EHRC
    )
    # The report's configurable sentences (see organisation/wording.py).
    wording_comparison_increase = _wording_field("comparison_increase")
    wording_comparison_decrease = _wording_field("comparison_decrease")
    wording_comparison_same = _wording_field("comparison_same")
    wording_comparison_none = _wording_field("comparison_none")
    wording_largest_category = _wording_field("largest_category")
    wording_largest_categories_tied = _wording_field("largest_categories_tied")
    wording_second_largest_category = _wording_field("second_largest_category")
    wording_no_further_action = _wording_field("no_further_action")
    wording_no_further_action_one = _wording_field("no_further_action_one")
    wording_no_further_action_none = _wording_field("no_further_action_none")
    # Follow-up messages to whistleblowers (organisation/followup_wording.py).
    followup_acknowledgement = _followup_field("acknowledgement")
    followup_feedback = _followup_field("feedback")
    followup_outcome = _followup_field("outcome")
    # Its configured texts in the organisation's other languages: {"cy": {"field": "text"}}
    # (organisation/texts.py reads them; English is in the fields themselves).
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["host"], condition=~models.Q(host=""), name="organisation_host_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validate_year_start(self.year_start_month, self.year_start_day)

    @property
    def language_codes(self) -> list[str]:
        return [c.strip() for c in self.languages.split(",") if c.strip()] or ["en"]

    @property
    def sentence_name(self) -> str:
        return self.name_in_sentence or self.name

    @property
    def comparison_name(self) -> str:
        return self.short_name or self.sentence_name

    @property
    def report_wording(self) -> dict[str, str]:
        """Every configurable sentence template, by its key in organisation/wording.py."""
        return {key: getattr(self, f"wording_{key}") for key in wording.DEFAULTS}

    def period_for_year(self, year: int) -> tuple[dt.date, dt.date]:
        """The reporting period that starts in `year`: both ends inclusive."""
        start = dt.date(year, self.year_start_month, self.year_start_day)
        end = dt.date(year + 1, self.year_start_month, self.year_start_day) - dt.timedelta(days=1)
        return start, end

    def year_of(self, day: dt.date) -> int:
        """The reporting year (by its starting calendar year) that `day` falls in."""
        start_this_year = dt.date(day.year, self.year_start_month, self.year_start_day)
        return day.year if day >= start_this_year else day.year - 1


class ServiceCategory(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services"
    )
    label = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    report_phrase = models.CharField(
        max_length=200,
        blank=True,
        help_text="Used in sentences, e.g. 'supported living providers'.",
    )
    report_description = models.TextField(
        blank=True, help_text="Said after the category when it is among the largest."
    )
    active = models.BooleanField(default=True, help_text="Inactive: kept for past years only.")
    # Its configured texts in the organisation's other languages: {"cy": {"field": "text"}}
    # (organisation/texts.py reads them; English is in the fields themselves).
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "label"], name="uniq_service_label")
        ]
        verbose_name_plural = "service categories"

    def __str__(self) -> str:
        return self.label

    @property
    def phrase(self) -> str:
        return self.report_phrase or self.label


class Outcome(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="outcomes"
    )
    label = models.CharField(max_length=400)
    position = models.PositiveIntegerField(default=0)
    further_action = models.BooleanField(
        help_text="Counts as 'further action taken' in the statutory report."
    )
    active = models.BooleanField(default=True)
    whistleblower_text = models.TextField(
        blank=True,
        help_text="The outcome in plain words for the whistleblower's outcome message "
        "(blank: the label).",
    )
    # Its configured texts in the organisation's other languages: {"cy": {"field": "text"}}
    # (organisation/texts.py reads them; English is in the fields themselves).
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "label"], name="uniq_outcome_label")
        ]

    def __str__(self) -> str:
        return self.label


class ReportYear(TimeStampedModel):
    """Staff-written text for one reporting year's report. Must not identify anyone."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="report_years"
    )
    year = models.PositiveIntegerField(help_text="The calendar year in which the period starts.")
    impact_text = models.TextField(
        blank=True, help_text="How the disclosures affected the organisation's functions."
    )
    further_action_example = models.TextField(blank=True)
    no_further_action_example = models.TextField(blank=True)
    # Its configured texts in the organisation's other languages: {"cy": {"field": "text"}}
    # (organisation/texts.py reads them; English is in the fields themselves).
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="uniq_report_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class QuestionnaireVersion(models.Model):
    """One version of the public questionnaire (organisation/questionnaire.py), append-only.

    A change is a new version, never an edit: a disclosure names the version it answered
    (in its sealed answers) and is shown by it for ever. The newest version is the current one.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="questionnaires"
    )
    number = models.PositiveIntegerField()
    document = models.JSONField(help_text="The checked questionnaire document.")
    source = models.CharField(max_length=40, help_text="Who or what made it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="uniq_questionnaire_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} questionnaire {self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Versions are immutable: a disclosure answered this one as it is.
        if self.pk is not None:
            raise ValueError("a questionnaire version is never changed; publish a new one")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
