from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "imbizo.channels"
    label = "channels"
    verbose_name = "Conversational channels"
