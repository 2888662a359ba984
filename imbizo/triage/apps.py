from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "imbizo.triage"
    label = "triage"
    verbose_name = "Triage and duplicates"

    def ready(self) -> None:
        # Imported once the app registry is ready (receivers import models):
        # a service correction is noted against what triage suggested.
        from . import usage_receivers  # noqa: F401
