from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "imbizo.org"
    label = "org"

    def ready(self) -> None:
        # Here, not at module top: these import models, which need the app
        # registry ready; importing signals connects its receivers.
        from django.contrib.auth.signals import user_logged_in

        from . import signals  # noqa: F401
        from .authorisation import remember_devices

        user_logged_in.connect(remember_devices, dispatch_uid="imbizo.org.remember_devices")
