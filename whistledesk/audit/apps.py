from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "whistledesk.audit"
    label = "audit"
