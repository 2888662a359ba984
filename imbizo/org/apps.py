from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "imbizo.org"
    label = "org"
