from django.contrib import admin

from whistledesk.organisation.models import Organisation, Outcome, ReportYear, ServiceCategory


class ServiceInline(admin.TabularInline):
    model = ServiceCategory
    extra = 0
    fields = ["position", "label", "report_phrase", "active"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    fields = ["position", "label", "further_action", "active"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "year_start_month", "year_start_day"]
    inlines = [ServiceInline, OutcomeInline]


@admin.register(ReportYear)
class ReportYearAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year"]
