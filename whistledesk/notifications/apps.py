from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "whistledesk.notifications"
    label = "notifications"
    verbose_name = "Notifications and background work"
