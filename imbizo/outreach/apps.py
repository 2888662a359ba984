from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "imbizo.outreach"
    label = "outreach"
    verbose_name = "Community outreach and alerts"

    def ready(self) -> None:
        # Imported once the app registry is ready (receivers import models):
        # alerts hear of interruptions, answer privacy's hooks, and register
        # the builders of their message texts; interruptions link the reports
        # opened while they run.
        from . import alert_receivers, interruption_receivers  # noqa: F401
