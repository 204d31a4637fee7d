from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "whistledesk.reports"
    label = "reports"
