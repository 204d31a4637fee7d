from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "whistledesk.retention"
    label = "retention"
    verbose_name = "Retention"
