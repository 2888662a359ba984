from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "imbizo.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # Imported once the app registry is ready (receivers import models):
        # consents are written as cases open.
        from . import receivers  # noqa: F401
