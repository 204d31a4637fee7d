from django.apps import AppConfig


class CasefilesConfig(AppConfig):
    name = "whistledesk.casefiles"
    label = "casefiles"
    verbose_name = "Sealed case files"

    def ready(self) -> None:
        from whistledesk.casefiles import checks  # noqa: F401 - registers the system checks
