from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "whistledesk.core"
    label = "core"
