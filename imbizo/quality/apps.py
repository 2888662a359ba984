from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "imbizo.quality"
    label = "quality"
    verbose_name = "Service quality programme"
