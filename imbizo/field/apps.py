from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "imbizo.field"
    label = "field"
    verbose_name = "Field capture"

    def ready(self) -> None:
        # Imported once the app registry is ready (receivers import models):
        # a citizen's data request reaches the household visits.
        from . import receivers  # noqa: F401
