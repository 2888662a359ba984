from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "imbizo.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from . import signals  # noqa: F401
