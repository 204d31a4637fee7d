from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "whistledesk.intake"
    label = "intake"
