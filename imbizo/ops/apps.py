from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "imbizo.ops"
    label = "ops"
