from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "whistledesk.organisation"
    label = "organisation"
