from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "imbizo.outreach"
    label = "outreach"
    verbose_name = "Community outreach and alerts"

    def ready(self) -> None:
        # Connected once the app registry is ready (the receivers use models).
        from . import interruption_receivers  # noqa: F401
