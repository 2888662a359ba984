from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "imbizo.cases"
    label = "cases"

    def ready(self) -> None:
        # Deferred message contexts and cache invalidation.
        from . import messages, signals  # noqa: F401
