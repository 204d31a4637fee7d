from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "whistledesk.cases"
    label = "cases"
