from django.apps import AppConfig


class SignpostingConfig(AppConfig):
    name = "whistledesk.signposting"
    label = "signposting"
    verbose_name = "Out-of-remit signposting"
