from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "imbizo.org"
    label = "org"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .authorisation import remember_devices

        user_logged_in.connect(remember_devices, dispatch_uid="imbizo.org.remember_devices")
