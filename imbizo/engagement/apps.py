from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "imbizo.engagement"
    label = "engagement"

    def ready(self) -> None:
        # Connected once the app registry is ready (the receivers use models).
        from . import receivers  # noqa: F401
