from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "imbizo.clients"
    label = "clients"
    verbose_name = "Clients"

    def ready(self) -> None:
        # Key clients answer the clock sweep, the closed loop and privacy's hooks.
        import imbizo.clients.key_admin  # noqa: F401 - key clients' admin pages
        import imbizo.clients.receivers  # noqa: F401

        # Connected once the app registry is ready (the receivers use models).
        from . import survey_admin, survey_receivers  # noqa: F401
