from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "imbizo.web"
    label = "web"
