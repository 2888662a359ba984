from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "imbizo.core"
    label = "core"
