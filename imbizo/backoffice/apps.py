from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "imbizo.backoffice"
    label = "backoffice"
