from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "imbizo.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        # Connected once the app registry is ready (the receivers use models).
        from . import signals  # noqa: F401
