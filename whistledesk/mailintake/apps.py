from django.apps import AppConfig


class MailIntakeConfig(AppConfig):
    name = "whistledesk.mailintake"
    label = "mailintake"
    verbose_name = "Mailbox intake"
