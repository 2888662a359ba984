from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class OrgConfig(AppConfig):
    name = "imbizo.org"
    label = "org"

    def ready(self) -> None:
        # Here, not at module top: these import models, which need the app
        # registry ready; importing signals connects its receivers.
        from . import authorisation, signals  # noqa: F401

        user_logged_in.connect(authorisation.remember_devices,
                               dispatch_uid="imbizo.org.remember_devices")
