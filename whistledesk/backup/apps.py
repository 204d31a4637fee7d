from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "whistledesk.backup"
    label = "backup"
