from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "imbizo.triage"
    label = "triage"
    verbose_name = "Triage and duplicates"

    def ready(self) -> None:
        # Receivers import models: once the registry is ready. The language of
        # a report is set on the case as it is opened; a service correction is
        # noted against what triage suggested.
        from . import language_receivers, usage_receivers  # noqa: F401
