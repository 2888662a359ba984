from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "imbizo.geo"
    label = "geo"

    def ready(self) -> None:
        from . import signals  # noqa: F401
