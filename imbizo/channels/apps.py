from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "imbizo.channels"
    label = "channels"
    verbose_name = "Conversational channels"

    def ready(self) -> None:
        # Imported once the app registry is ready (they import models): the
        # receivers answer privacy's hooks; each adapter module registers itself.
        # One line per adapter module, so that branches adding one do not collide.
        import imbizo.channels.adapters.africastalking_sms  # noqa: F401 - registers itself
        import imbizo.channels.adapters.africastalking_ussd  # noqa: F401 - registers itself
        import imbizo.channels.adapters.generic_sms  # noqa: F401 - registers itself
        import imbizo.channels.adapters.imap  # noqa: F401 - registers itself and the poll
        import imbizo.channels.adapters.whatsapp_cloud  # noqa: F401 - registers itself
        import imbizo.channels.receivers  # noqa: F401 - privacy's hooks
