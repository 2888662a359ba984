from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "imbizo.geo"
    label = "geo"

    def ready(self) -> None:
        # Connected once the app registry is ready (the receivers use models).
        from . import signals  # noqa: F401
