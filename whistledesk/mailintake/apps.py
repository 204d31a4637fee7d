from django.apps import AppConfig


class MailIntakeConfig(AppConfig):
    name = "whistledesk.mailintake"
    label = "mailintake"
    verbose_name = "Mailbox intake"

    def ready(self) -> None:
        from whistledesk.mailintake import checks  # noqa: F401  (registers it)
