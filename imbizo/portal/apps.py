from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "imbizo.portal"
    label = "portal"
