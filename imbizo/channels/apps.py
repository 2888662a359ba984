from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "imbizo.channels"
    label = "channels"
    verbose_name = "Conversational channels"

    def ready(self) -> None:
        # One line per adapter module (each registers itself).
        from . import receivers  # noqa: F401
        from .adapters import (
            africastalking_sms,  # noqa: F401
            africastalking_ussd,  # noqa: F401
            generic_sms,  # noqa: F401
        )
