from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "whistledesk.api"
    label = "api"
    verbose_name = "Staff API"
