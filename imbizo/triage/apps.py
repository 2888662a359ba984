from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "imbizo.triage"
    label = "triage"
    verbose_name = "Triage and duplicates"

    def ready(self) -> None:
        # Receivers import models: once the registry is ready. The language of
        # a report is set on the case as it is opened.
        from . import language_receivers  # noqa: F401
