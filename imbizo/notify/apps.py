from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "imbizo.notify"
    label = "notify"
