from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "whistledesk.notifications"
    label = "notifications"
    verbose_name = "Notifications and background work"

    def ready(self) -> None:
        from whistledesk.notifications import checks  # noqa: F401  (registers them)
