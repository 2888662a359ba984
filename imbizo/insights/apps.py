from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "imbizo.insights"
    label = "insights"

    def ready(self) -> None:
        # Rollup deltas are recorded as cases and ratings change.
        from . import receivers  # noqa: F401
