from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "imbizo.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from imbizo.notify.delivery import register_sender
        from imbizo.notify.models import MessageChannel

        from . import receivers  # noqa: F401 - connects the webhook receivers
        from .sending import webhook_send

        register_sender(MessageChannel.WEBHOOK, webhook_send)
