from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "whistledesk.accounts"
    label = "accounts"

    def ready(self) -> None:
        from whistledesk.accounts import security_signals

        security_signals.connect()
