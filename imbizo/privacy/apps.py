from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "imbizo.privacy"
    label = "privacy"
    verbose_name = "Privacy"
