from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "whistledesk.identity"
    label = "identity"
    verbose_name = "Identity access and consent ledger"
