from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "imbizo.clients"
    label = "clients"
    verbose_name = "Clients"

    def ready(self) -> None:
        # Connected once the app registry is ready (the receivers use models).
        from . import survey_admin, survey_receivers  # noqa: F401
