from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class OrgConfig(AppConfig):
    name = "imbizo.org"
    label = "org"

    def ready(self) -> None:
        # authorisation imports org's models, so it loads once the registry is ready.
        from .authorisation import remember_devices

        user_logged_in.connect(remember_devices, dispatch_uid="imbizo.org.remember_devices")
