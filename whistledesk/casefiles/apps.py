from django.apps import AppConfig


class CasefilesConfig(AppConfig):
    name = "whistledesk.casefiles"
    label = "casefiles"
    verbose_name = "Sealed case files"
