from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "imbizo.engagement"
    label = "engagement"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
