from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "imbizo.notify"
    label = "notify"

    def ready(self) -> None:
        # Registers the system checks; Django's app registry is ready only now.
        from . import checks  # noqa: F401
