from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "imbizo.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        # Loaded once the app registry is ready (it uses models): connects the
        # webhook receivers and registers the webhook sender with notify.
        from . import receivers  # noqa: F401
