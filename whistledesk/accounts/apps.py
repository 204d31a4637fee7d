from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "whistledesk.accounts"
    label = "accounts"
