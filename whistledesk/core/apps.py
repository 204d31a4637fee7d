from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "whistledesk.core"
    label = "core"

    def ready(self) -> None:
        from whistledesk.core import checks  # noqa: F401 - registers the system checks
